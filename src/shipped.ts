/**
 * The shipped module: the stage kinds of the profile workload and the examples, and the layers
 * their services come from (`layers.faiss`, `layers.workers`, `layers.sqlite`). The CLI registers
 * it exactly as it registers a user's module named under `kinds:`.
 */
import { availableParallelism } from "node:os"
import { Effect, Layer, Schema } from "effect"
import { Faiss } from "./layers/faiss/service.js"
import { FaissSettings } from "./layers/faiss/settings.js"
import { SqliteLive } from "./layers/sqlite/service.js"
import { storageUrlProblem } from "./layers/workers/cluster/storage-url.js"
import { WorkerPoolThreads } from "./layers/workers/threads.js"
import { DurationMs } from "./runtime/spec/duration.js"
import { defineLayer } from "./runtime/layer-definition.js"
import type { ModuleContents } from "./runtime/modules/module-contents.js"
import { field } from "./runtime/stage-kind.js"
import { ExhaustiveTopTask } from "./artifacts/exhaustive-top-tasks.js"
import { BuildProfileChunk, WriteProfileChunk } from "./artifacts/profile-table-tasks.js"
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
  engine: field(
    Schema.Literal("threads", "cluster"),
    "threads",
    "threads: worker threads of this process; cluster: `pipeline runner` processes on any hosts, through Effect's cluster engine over PostgreSQL (docs/cluster.md)"
  ),
  size: field(
    Schema.Int.pipe(Schema.between(1, 256)),
    availableParallelism(),
    "threads: worker threads for CPU-bound stages; cluster: chunk tasks in flight (about the runners' threads in all, or more)"
  ),
  storage: Schema.optional(
    Schema.String.pipe(Schema.filter((url) => storageUrlProblem(url) ?? true)).annotations({
      description: "engine cluster: the PostgreSQL URL the runners use (postgres://user@host:5432/database; a password is better in PGPASSWORD or ~/.pgpass)"
    })
  ),
  waitForRunners: field(DurationMs, 60_000, "engine cluster: how long to wait for a registered runner before failing"),
  storageTimeout: field(
    DurationMs,
    30_000,
    "engine cluster: how long PostgreSQL may be unreachable mid-run before the chunks in flight fail (the stage fails; its committed chunks are kept)"
  )
}).pipe(
  Schema.filter((settings) =>
    settings.engine === "cluster" && settings.storage === undefined
      ? { path: ["storage"], message: "engine: cluster needs storage: the PostgreSQL URL its runners use, e.g. postgres://postgres@127.0.0.1:5432/pipeline" }
      : true
  )
)

/**
 * `layers.workers`: where CPU-bound stages send chunk tasks: this process's worker threads, or the
 * runners of a cluster (loaded on demand, so the threads path never loads the cluster engine).
 */
export const WorkersLayer = defineLayer({
  name: "workers",
  description: "where CPU-bound chunk tasks run: worker threads, or cluster runners",
  settings: WorkersSettings,
  layer: (settings) =>
    settings.engine === "cluster" && settings.storage !== undefined
      ? postgresPool({ storage: settings.storage, size: settings.size, waitForRunners: settings.waitForRunners, storageTimeout: settings.storageTimeout })
      : WorkerPoolThreads.layer({ size: settings.size })
})

const postgresPool = (options: { readonly storage: string; readonly size: number; readonly waitForRunners: number; readonly storageTimeout: number }) =>
  Layer.unwrapEffect(
    Effect.promise(() => import("./layers/workers/cluster/postgres-pool.js")).pipe(Effect.map(({ postgresPoolLayer }) => postgresPoolLayer(options)))
  )

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
  tasks: [WriteProfileChunk, BuildProfileChunk, ProfileChunkFeatures, ProfileChunkEmbeddings, ExhaustiveTopTask]
}
