/**
 * The product: the shipped stage kinds and the services they need, built from a pipeline's
 * `layers:` settings. This is where the runtime (a framework) meets the profile workload.
 */
import { Layer } from "effect"
import { Faiss } from "./layers/faiss/service.js"
import type { FaissSettings } from "./layers/faiss/settings.js"
import { Sqlite, SqliteLive } from "./layers/sqlite/service.js"
import { WorkerPool } from "./layers/workers/service.js"
import { WorkerPoolThreads } from "./layers/workers/threads.js"
import type { Product } from "./runtime/cli/run-command.js"
import { RunError } from "./runtime/errors.js"
import type { WorkersSettings } from "./runtime/layer-settings.js"
import type { PipelineSpec } from "./runtime/spec/pipeline-spec.js"
import { serveCommand } from "./server/serve-command.js"
import { productRegistry } from "./stages/index.js"

/** Settings of one layer, as the loader decoded them (defaults applied). */
const settingsOf = <A>(spec: PipelineSpec, layer: string): A => (spec.layers[layer] ?? {}) as A

const failedToStart = (layer: string) => (error: { readonly message: string }) =>
  new RunError({ message: `cannot start ${layer}: ${error.message}` })

export const product: Product<Faiss | WorkerPool | Sqlite> = {
  registry: productRegistry,
  commands: [serveCommand],
  services: (spec) =>
    Layer.mergeAll(
      Faiss.layerFromSettings(settingsOf<FaissSettings>(spec, "faiss")).pipe(Layer.mapError(failedToStart("FAISS (layers.faiss)"))),
      WorkerPoolThreads.layer({ size: settingsOf<typeof WorkersSettings.Type>(spec, "workers").size }).pipe(
        Layer.mapError(failedToStart("the worker pool (layers.workers)"))
      ),
      SqliteLive.layer
    )
}
