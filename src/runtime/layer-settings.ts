/**
 * Settings schemas of the layers the runtime itself configures under `layers:` (the artifact store
 * and progress). The services' layers (FAISS, workers, SQLite, a user's) come with their own
 * settings schemas as layer definitions (layer-definition.ts).
 */
import { Schema } from "effect"
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
