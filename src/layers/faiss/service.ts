/**
 * The `Faiss` service: k-means and vector indexes for stages. A stage asks for `Faiss`; which
 * backend answers is the pipeline's choice (`layers.faiss`), made by `Faiss.layerFromSettings`:
 * the native binding on CPU or GPU, or the pure TypeScript reference in tests.
 */
import { Context } from "effect"
import type { Layer } from "effect"
import type { FaissError } from "./errors.js"
import { layerFromSettings } from "./layer-from-settings.js"
import type { FaissSettings } from "./settings.js"
import type { FaissService } from "./types.js"

export class Faiss extends Context.Tag("Faiss")<Faiss, FaissService>() {
  /** cpu: native CPU; gpu: native GPU or a `gpu-unavailable` failure; auto: GPU if built, else CPU. */
  static layerFromSettings(settings: FaissSettings): Layer.Layer<Faiss, FaissError> {
    return layerFromSettings(settings)
  }
}
