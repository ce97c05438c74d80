/**
 * Ranking of retrieved candidate rows over an `EncodedProfiles`: the rules of `rankCandidates`
 * (rank.ts) without building profile objects, for callers that hold every profile encoded (the
 * match-eval stage, the dashboard). The encoded breakdown equals the reference's, so the numbers are
 * the same.
 */
import type { MatchConfig } from "../config.js"
import { type MatchBreakdown, meetsFloor } from "../score.js"
import type { EncodedProfiles } from "./encoder.js"
import { breakdownEncoded } from "./score-encoded.js"

export interface EncodedCandidateRanking {
  /** At most `top` kept rows, best first; equal scores keep retrieval order. */
  readonly matches: ReadonlyArray<{ readonly row: number; readonly score: number; readonly breakdown: MatchBreakdown }>
  /** Distinct candidate rows scored (the origin and repeated rows are not counted). */
  readonly candidates: number
  /** Of those, how many passed both gates. */
  readonly passedGates: number
}

/**
 * Scores candidate rows (in retrieval order) against `origin` and keeps the best `top`: the origin
 * and repeated rows are skipped, kept scores are > 0 and >= the floor, ties keep retrieval order.
 */
export const rankEncodedCandidates = (
  enc: EncodedProfiles,
  origin: number,
  candidates: Iterable<number>,
  config: MatchConfig,
  top: number
): EncodedCandidateRanking => {
  const seen = new Set<number>([origin])
  const kept: Array<{ row: number; score: number; breakdown: MatchBreakdown; order: number }> = []
  let scored = 0
  let passed = 0
  for (const row of candidates) {
    if (seen.has(row)) continue
    seen.add(row)
    const b = breakdownEncoded(enc, origin, row, config)
    if (b.passed) passed++
    if (b.passed && meetsFloor(b.score, config)) kept.push({ row, score: b.score, breakdown: b, order: scored })
    scored++
  }
  kept.sort((a, b) => b.score - a.score || a.order - b.order)
  return {
    matches: kept.slice(0, top).map(({ row, score, breakdown }) => ({ row, score, breakdown })),
    candidates: scored,
    passedGates: passed
  }
}
