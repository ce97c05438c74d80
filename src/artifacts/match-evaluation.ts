/** `match-eval`: match quality figures as JSON. */
import { Schema } from "effect"
import { defineArtifactKind } from "../runtime/artifact.js"

export const MatchEvaluation = defineArtifactKind("match-eval", "match quality figures as JSON", {
  path: Schema.String
})
