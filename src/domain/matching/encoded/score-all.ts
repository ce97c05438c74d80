/**
 * Exhaustive scoring of one origin row against every row of an `EncodedProfiles`: the full score
 * vector (`scoreAllAgainst`) or directly the best matches (`topMatchesEncoded`, the exhaustive
 * counterpart of `rankCandidates`). Both run the same block loop (kernel.ts).
 */
import { DEFAULT_MATCH_CONFIG, type MatchConfig } from "../config.js"
import { DEFAULT_TOP } from "../rank.js"
import type { EncodedProfiles } from "./encoder.js"
import { GATED, originContext, PRUNED, scoreBlock } from "./kernel.js"

/** Rows per block: the float64 scratch (32 KiB) stays in L1/L2 between write and read. */
const BLOCK = 4096

/**
 * Writes the score of `origin` against every row into `out` (length >= `enc.count`; 0 where a gate
 * fails; `out[origin]` is the origin's score against itself) and returns how many rows other than
 * the origin passed both gates. Scores are stored as float32, within 6e-8 of the float64 score.
 */
export const scoreAllAgainst = (
  enc: EncodedProfiles,
  origin: number,
  config: MatchConfig,
  out: Float32Array
): number => {
  if (out.length < enc.count) throw new RangeError(`out has ${out.length} slots for ${enc.count} profiles`)
  const ctx = originContext(enc, origin, config)
  const scratch = new Float64Array(BLOCK)
  let passed = 0
  for (let start = 0; start < enc.count; start += BLOCK) {
    const end = Math.min(enc.count, start + BLOCK)
    passed += scoreBlock(ctx, start, end, scratch)
    for (let j = start; j < end; j++) {
      const s = scratch[j - start] as number
      out[j] = s === GATED ? 0 : s
    }
  }
  scoreBlock(ctx, origin, origin + 1, scratch)
  return scratch[0] === GATED ? passed : passed - 1
}

export interface EncodedMatch {
  readonly row: number
  /** The float64 score, equal to the reference score. */
  readonly score: number
}

export interface EncodedRanking {
  /** The best `top` rows by score (ties: lower row first), origin excluded, floor applied. */
  readonly matches: ReadonlyArray<EncodedMatch>
  /** Rows other than the origin that passed both gates. */
  readonly passedGates: number
  /** Of those, how many reached the floor. */
  readonly kept: number
}

/**
 * The exhaustive top `top` matches of `origin` over all rows, by the same rules as
 * `rankCandidates` (score > 0 and >= `minScore`, score descending, ties in row order). Keeps a
 * small sorted buffer, so memory is O(top) whatever the row count.
 */
export const topMatchesEncoded = (
  enc: EncodedProfiles,
  origin: number,
  config: MatchConfig = DEFAULT_MATCH_CONFIG,
  top: number = DEFAULT_TOP
): EncodedRanking => {
  if (!Number.isInteger(top) || top < 0) throw new RangeError(`top must be a non-negative integer, got ${top}`)
  const ctx = originContext(enc, origin, config)
  const scratch = new Float64Array(BLOCK)
  const rows: Array<number> = []
  const scores: Array<number> = []
  const minScore = config.minScore
  let passed = 0
  let kept = 0
  for (let start = 0; start < enc.count; start += BLOCK) {
    const end = Math.min(enc.count, start + BLOCK)
    // Once the top is full, rows that cannot beat its last score skip most of the work.
    const prune = top > 0 && rows.length === top ? { below: scores[top - 1] as number, minScore } : undefined
    passed += scoreBlock(ctx, start, end, scratch, prune)
    for (let j = start; j < end; j++) {
      const s = scratch[j - start] as number
      if (s === PRUNED) {
        if (j !== origin) kept++
        continue
      }
      // GATED (-1) also fails `s > 0`; the origin is skipped but counted back below.
      if (!(s > 0 && s >= minScore) || j === origin) continue
      kept++
      // Rows arrive in increasing order, so a tie never displaces an earlier row: insert after equals.
      if (top === 0 || (rows.length === top && !(s > (scores[top - 1] as number)))) continue
      let at = rows.length === top ? top - 1 : rows.length
      while (at > 0 && (scores[at - 1] as number) < s) {
        scores[at] = scores[at - 1] as number
        rows[at] = rows[at - 1] as number
        at--
      }
      scores[at] = s
      rows[at] = j
    }
  }
  scoreBlock(ctx, origin, origin + 1, scratch)
  if (scratch[0] !== GATED) passed--
  return { matches: rows.map((row, k) => ({ row, score: scores[k] as number })), passedGates: passed, kept }
}
