/**
 * The shipped module: the stage kinds of the profile workload and the examples, and the layers
 * their services come from (`layers.faiss`, `layers.workers`, `layers.sqlite`). The CLI registers
 * it exactly as it registers a user's module named under `kinds:`.
 */
import { availableParallelism } from "node:os"
import { Schema } from "effect"
import { Faiss } from "./layers/faiss/service.js"
import { FaissSettings } from "./layers/faiss/settings.js"
import { SqliteLive } from "./layers/sqlite/service.js"
import { WorkerPoolThreads } from "./layers/workers/threads.js"
import { defineLayer } from "./runtime/layer-definition.js"
import type { ModuleContents } from "./runtime/modules/module-contents.js"
import { field } from "./runtime/stage-kind.js"
import { ExhaustiveTopTask } from "./artifacts/exhaustive-top-tasks.js"
import { WriteProfileChunk } from "./artifacts/profile-table-tasks.js"
import { ProfileChunkEmbeddings, ProfileChunkFeatures } from "./artifacts/vector-matrix-writer-tasks.js"
import { exampleKinds, profileKinds } from "./stages/index.js"

/** `layers.faiss`: the FAISS backend (native CPU, GPU, or auto) and its threads. */
export const FaissLayer = defineLayer({
  name: "faiss",
  description: "k-means and vector indexes: the native FAISS binding on CPU or GPU",
  settings: FaissSettings,
  layer: (settings) => Faiss.layerFromSettings(settings)
})

export const WorkersSettings = Schema.Struct({
  size: field(Schema.Int.pipe(Schema.between(1, 256)), availableParallelism(), "worker threads for CPU-bound stages")
})

/** `layers.workers`: the worker-thread pool that CPU-bound stages send chunk tasks to. */
export const WorkersLayer = defineLayer({
  name: "workers",
  description: "the worker-thread pool for CPU-bound chunk tasks",
  settings: WorkersSettings,
  layer: (settings) => WorkerPoolThreads.layer({ size: settings.size })
})

/** `layers.sqlite`: SQLite files through better-sqlite3 (no settings yet). */
export const SqliteLayer = defineLayer({
  name: "sqlite",
  description: "SQLite data files (better-sqlite3, WAL)",
  settings: Schema.Struct({}),
  layer: () => SqliteLive.layer
})

export const shippedModule: ModuleContents = {
  kinds: [...exampleKinds, ...profileKinds],
  layers: [FaissLayer, WorkersLayer, SqliteLayer],
  tasks: [WriteProfileChunk, ProfileChunkFeatures, ProfileChunkEmbeddings, ExhaustiveTopTask]
}
