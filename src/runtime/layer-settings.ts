/**
 * Settings schemas of the layers a pipeline file may configure under `layers:`. Decoded by the
 * loader with defaults applied, so an unknown layer or setting gets a did-you-mean.
 */
import { availableParallelism } from "node:os"
import { Schema } from "effect"
import { FaissSettings } from "../layers/faiss/settings.js"
import { field } from "./stage-kind.js"

export const StoreSettings = Schema.Struct({
  dir: Schema.optional(
    Schema.String.annotations({ description: "output directory of the pipeline (default out/<pipeline>)" })
  )
})

export const ProgressSettings = Schema.Struct({
  mode: field(
    Schema.Literal("auto", "tty", "plain", "off"),
    "auto",
    "auto: bars on a terminal, plain lines otherwise; tty; plain; off"
  )
})

export const WorkersSettings = Schema.Struct({
  size: field(Schema.Int.pipe(Schema.between(1, 256)), availableParallelism(), "worker threads for CPU-bound stages")
})

/** Layer name -> settings schema, as `loadPipeline` takes them. */
export const layerSettingsSchemas: Readonly<Record<string, Schema.Schema<unknown, unknown>>> = {
  store: StoreSettings as unknown as Schema.Schema<unknown, unknown>,
  progress: ProgressSettings as unknown as Schema.Schema<unknown, unknown>,
  workers: WorkersSettings as unknown as Schema.Schema<unknown, unknown>,
  faiss: FaissSettings as unknown as Schema.Schema<unknown, unknown>
}
