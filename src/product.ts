/**
 * The product: the shipped stage kinds and the services they need, built from a pipeline's
 * `layers:` settings. This is where the runtime (a framework) meets the profile workload.
 */
import { Layer } from "effect"
import { Faiss } from "./layers/faiss/service.js"
import type { FaissSettings } from "./layers/faiss/settings.js"
import type { Product } from "./runtime/cli/run-command.js"
import { RunError } from "./runtime/errors.js"
import type { PipelineSpec } from "./runtime/spec/pipeline-spec.js"
import { productRegistry } from "./stages/index.js"

/** Settings of one layer, as the loader decoded them (defaults applied). */
const settingsOf = <A>(spec: PipelineSpec, layer: string): A => (spec.layers[layer] ?? {}) as A

export const product: Product<Faiss> = {
  registry: productRegistry,
  services: (spec) =>
    Faiss.layerFromSettings(settingsOf<FaissSettings>(spec, "faiss")).pipe(
      Layer.mapError((error) => new RunError({ message: `cannot start FAISS (layers.faiss): ${error.message}` }))
    )
}
