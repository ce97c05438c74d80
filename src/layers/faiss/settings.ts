/**
 * Settings of the Faiss layer, as a pipeline file gives them under `layers.faiss`:
 * `{ device: cpu | gpu | auto, threads?: number }`. `device` changes results within float
 * tolerance only, but it is part of the cache key of stages that declare `faiss.device`.
 */
import { Schema } from "effect"
import { field } from "../../runtime/stage-kind.js"

export const FaissDevice = Schema.Literal("cpu", "gpu", "auto")
export type FaissDevice = typeof FaissDevice.Type

export const FaissSettings = Schema.Struct({
  device: field(
    FaissDevice,
    "cpu",
    "cpu; gpu (fails unless the addon was built against a CUDA-enabled FAISS); auto (gpu when available, else cpu, logging why)"
  ),
  threads: Schema.optional(
    Schema.Int.pipe(Schema.between(1, 256)).annotations({
      description: "OpenMP threads for FAISS (default: OpenMP's own choice, usually the number of cores)"
    })
  )
})
export type FaissSettings = typeof FaissSettings.Type
