/**
 * `match-eval`: match quality figures as JSON (MatchEvalResult, match-result.ts: the evaluated
 * embeddings and index, the figures, and every origin's ANN and exhaustive top matches).
 */
import { type Effect, Schema } from "effect"
import { type ArtifactOf, defineArtifactKind } from "../runtime/artifact.js"
import type { StageError } from "../runtime/errors.js"
// The file's Schema lives beside the stage that writes it; it belongs here, with its readers.
import { MatchEvalResult } from "../stages/profiles/match-result.js"
import { readJsonFile } from "./text-file.js"

export const MatchEvaluation = defineArtifactKind("match-eval", "match quality figures as JSON", {
  path: Schema.String
})

/** A MatchEvaluation descriptor. */
export type MatchEvaluationDescriptor = ArtifactOf<typeof MatchEvaluation>

/** The evaluation's JSON, decoded (a file of another shape fails). */
export const readMatchEvaluation = (
  match: Pick<MatchEvaluationDescriptor, "path">
): Effect.Effect<typeof MatchEvalResult.Type, StageError> => readJsonFile(match.path, MatchEvalResult, "match evaluation")
