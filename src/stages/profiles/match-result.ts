/**
 * The JSON file a `match-eval` stage writes (its MatchEvaluation artifact's `path`), as a Schema so
 * the report (and anything else) decodes it rather than trusting it.
 */
import { Schema } from "effect"

export const ScoredId = Schema.Struct({ id: Schema.Number, score: Schema.Number })

export const OriginResult = Schema.Struct({
  id: Schema.Number,
  /** Distinct ANN candidates scored (origin excluded). */
  candidates: Schema.Number,
  /** Of those, how many passed both gates. */
  passedGates: Schema.Number,
  /** ANN top matches, rescored with the match score, best first. */
  ann: Schema.Array(ScoredId),
  /** Exhaustive top matches over all profiles, best first. */
  exhaustive: Schema.Array(ScoredId),
  /** |ann ∩ exhaustive| / |exhaustive|, null when the exhaustive list is empty. */
  recall: Schema.NullOr(Schema.Number),
  /**
   * Tie-aware recall: ANN matches scoring at least the exhaustive list's last score, over the
   * exhaustive list's length (capped at 1). Many profiles share a score, and the exhaustive list
   * breaks ties by id, so an equally good ANN match can miss `recall` but counts here.
   */
  scoreRecall: Schema.NullOr(Schema.Number)
})
export type OriginResult = typeof OriginResult.Type

export const MatchFigures = Schema.Struct({
  origins: Schema.Number,
  /** Share of all ANN candidates (over all origins) that passed both gates. */
  candidateGatePassShare: Schema.Number,
  /** Share of origins whose ANN list holds `top` matches. */
  annFullShare: Schema.Number,
  /** Share of origins whose exhaustive list holds `top` matches. */
  exhaustiveFullShare: Schema.Number,
  /** Mean over origins of (sum of the top scores / top); missing slots count 0. */
  annMeanTopScore: Schema.Number,
  exhaustiveMeanTopScore: Schema.Number,
  /** Mean recall of the exhaustive top by the ANN top over origins with an exhaustive match. */
  recall: Schema.Number,
  /** Mean tie-aware recall (see OriginResult.scoreRecall). */
  scoreRecall: Schema.Number,
  /** Wall time per origin: index search plus rescoring, and exhaustive scoring. */
  annMsPerOrigin: Schema.Number,
  exhaustiveMsPerOrigin: Schema.Number
})
export type MatchFigures = typeof MatchFigures.Type

export const MatchEvalResult = Schema.Struct({
  /** The embeddings' `content` (`embeddings:attributes`, `embeddings:seed-random`, ...). */
  embeddingContent: Schema.String,
  embeddings: Schema.Struct({ path: Schema.String, idsPath: Schema.String, rows: Schema.Number, dim: Schema.Number }),
  index: Schema.Struct({
    path: Schema.String,
    factory: Schema.String,
    searchParameters: Schema.Record({ key: Schema.String, value: Schema.Number }),
    recallAt10: Schema.Number,
    /** The index's warning of a missed recall target (AnnIndex `warning`), when it has one; files before it lack it. */
    warning: Schema.optional(Schema.String)
  }),
  profiles: Schema.Struct({ rows: Schema.Number, seed: Schema.Number, chunkSize: Schema.Number, firstId: Schema.Number }),
  config: Schema.Struct({
    origins: Schema.Number,
    candidates: Schema.Number,
    top: Schema.Number,
    seed: Schema.Number,
    match: Schema.Unknown
  }),
  figures: MatchFigures,
  results: Schema.Array(OriginResult)
})
export type MatchEvalResult = typeof MatchEvalResult.Type
