/**
 * Scored matches, the seed's "valuation" files done as data: for each origin, its top matches as
 * the dashboard ranks them (ANN candidates from the saved index, rescored with the gated score),
 * one row per (origin, match) with the score, its five components, the weights and the gates.
 */
import { Effect, Schema } from "effect"
import type { MatchConfig } from "../domain/matching/index.js"
import type { FaissError } from "../layers/faiss/errors.js"
import type { MatchData } from "../server/match-data.js"
import { matchFor, type ProfileNotFound } from "../server/matcher.js"
import { sampleRows } from "../stages/profiles/faiss-metrics.js"

const Components = Schema.Struct({
  platforms: Schema.Number,
  availability: Schema.Number,
  games: Schema.Number,
  styles: Schema.Number,
  interaction: Schema.Number
})

/** One line of `matches.jsonl`. */
export const ScoredMatch = Schema.Struct({
  origin: Schema.Int,
  /** 1 for the best match. */
  rank: Schema.Int,
  match: Schema.Int,
  score: Schema.Number,
  components: Components,
  weights: Components,
  gates: Schema.Struct({ platforms: Schema.Number, availability: Schema.Number })
})
export type ScoredMatch = typeof ScoredMatch.Type

/** The flat columns of `matches.parquet` and `matches.csv`, in order. */
export const MATCH_COLUMNS = [
  "origin",
  "rank",
  "match",
  "score",
  "platforms",
  "availability",
  "games",
  "styles",
  "interaction",
  "weight_platforms",
  "weight_availability",
  "weight_games",
  "weight_styles",
  "weight_interaction",
  "gate_platforms",
  "gate_availability"
] as const

/** A scored match's values in MATCH_COLUMNS order. */
export const matchRow = (m: ScoredMatch): ReadonlyArray<number> => [
  m.origin,
  m.rank,
  m.match,
  m.score,
  m.components.platforms,
  m.components.availability,
  m.components.games,
  m.components.styles,
  m.components.interaction,
  m.weights.platforms,
  m.weights.availability,
  m.weights.games,
  m.weights.styles,
  m.weights.interaction,
  m.gates.platforms,
  m.gates.availability
]

/** `count` distinct profile ids of 1..rows, seeded, in ascending order (all of them when count >= rows). */
export const sampleOrigins = (rows: number, count: number, seed: number): ReadonlyArray<number> =>
  Array.from(sampleRows(rows, count, seed), (row) => row + 1)

export interface MatchExportRequest {
  readonly origins: ReadonlyArray<number>
  readonly top: number
  readonly candidates: number
  readonly config: MatchConfig
}

/** Every origin's matches, in the order of `origins`; an id with no profile fails (ProfileNotFound). */
export const scoredMatches = (
  data: MatchData,
  request: MatchExportRequest
): Effect.Effect<ReadonlyArray<ScoredMatch>, ProfileNotFound | FaissError> =>
  Effect.gen(function* () {
    const out: Array<ScoredMatch> = []
    for (const origin of request.origins) {
      const response = yield* matchFor(data, { id: origin, top: request.top, candidates: request.candidates }, request.config)
      response.matches.forEach((m, i) => {
        out.push({ origin, rank: i + 1, match: m.id, score: m.score, components: m.components, weights: m.weights, gates: m.gates })
      })
    }
    return out
  })
