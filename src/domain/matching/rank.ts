/**
 * Ranking of retrieved candidates against an origin, after the seed's `buscar_e_rankear_vizinhos`
 * (seed-spec §6.4) from the point where it holds candidate profiles: skip the origin and repeated
 * ids, score each, keep scores above 0 and at least the floor, order by score descending with ties
 * in candidate (retrieval) order, take the first `top`.
 *
 * Deliberate differences from the seed:
 * - Ids are numbers on both sides. The seed looked a string id up in a list of ints, found
 *   nothing, and returned no matches, which is why its ranking test passed vacuously.
 * - Results are new objects. The seed wrote `score_compatibilidade`/`score_details` into its
 *   cached profile dicts, so a later request could show stale scores on an origin.
 * - Scores and components are returned unrounded; the seed's 3 and 2 decimal rounding is display.
 * - The counts the dashboard wants are returned too: distinct candidates scored, how many passed
 *   the gates, how many were kept.
 */
import { DEFAULT_MATCH_CONFIG, type MatchConfig } from "./config.js"
import { type MatchProfile, prepareProfile } from "./profile.js"
import { type MatchBreakdown, meetsFloor, scorePrepared } from "./score.js"

/** The seed's `NUM_NEIGHBORS_TARGET`. */
export const DEFAULT_TOP = 10

export interface RankCandidate {
  readonly id: number
  readonly profile: MatchProfile
}

export interface RankOptions {
  /** How many matches to return (default 10); a non-negative integer. */
  readonly top?: number
  readonly config?: MatchConfig
}

export interface RankedMatch {
  readonly id: number
  readonly breakdown: MatchBreakdown
}

export interface Ranking {
  /** At most `top` kept matches, best first; equal scores keep the candidates' order. */
  readonly matches: ReadonlyArray<RankedMatch>
  /** Distinct candidates scored (the origin and repeated ids are not counted). */
  readonly candidates: number
  /** Of those, how many passed both gates. */
  readonly passedGates: number
  /** Of those, how many also reached the floor (the matches before the `top` cut). */
  readonly kept: number
}

/**
 * Scores `candidates` (in retrieval order) against `origin` and returns the best `top`.
 * Throws a RangeError when `top` is not a non-negative integer: that is a caller's bug, since
 * user-supplied values are validated where they enter (e.g. the API's query Schema).
 */
export const rankCandidates = (
  origin: RankCandidate,
  candidates: Iterable<RankCandidate>,
  options: RankOptions = {}
): Ranking => {
  const top = options.top ?? DEFAULT_TOP
  if (!Number.isInteger(top) || top < 0) throw new RangeError(`top must be a non-negative integer, got ${top}`)
  const config = options.config ?? DEFAULT_MATCH_CONFIG
  const from = prepareProfile(origin.profile)
  const seen = new Set<number>([origin.id])
  const kept: Array<RankedMatch & { readonly order: number }> = []
  let scored = 0
  let passedGates = 0
  for (const candidate of candidates) {
    if (seen.has(candidate.id)) continue
    seen.add(candidate.id)
    const breakdown = scorePrepared(from, prepareProfile(candidate.profile), config)
    if (breakdown.passed) passedGates++
    if (breakdown.passed && meetsFloor(breakdown.score, config)) {
      kept.push({ id: candidate.id, breakdown, order: scored })
    }
    scored++
  }
  // The explicit order tiebreak makes ties independent of the sort's stability.
  kept.sort((a, b) => b.breakdown.score - a.breakdown.score || a.order - b.order)
  return {
    matches: kept.slice(0, top).map(({ id, breakdown }) => ({ id, breakdown })),
    candidates: scored,
    passedGates,
    kept: kept.length
  }
}
