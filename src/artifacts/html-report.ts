/** `html-report`: a self-contained HTML report and its console text. */
import { Schema } from "effect"
import { defineArtifactKind } from "../runtime/artifact.js"

export const HtmlReport = defineArtifactKind("html-report", "a self-contained HTML report and its console text", {
  path: Schema.String,
  textPath: Schema.String
})
