/** Artifact kinds of the runtime's example stages. */
import { Schema } from "effect"
import { defineArtifactKind } from "../../runtime/artifact.js"

export const NumberSeries = defineArtifactKind("number-series", "float32 values in one little-endian file", {
  path: Schema.String,
  rows: Schema.Number
})

export const JsonSummary = defineArtifactKind("json-summary", "a small JSON document of figures", {
  path: Schema.String
})

export const TextReport = defineArtifactKind("text-report", "a plain-text report", {
  path: Schema.String
})
