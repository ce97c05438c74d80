/**
 * The computations of the match stages, free of stage plumbing: the seeded origin sample
 * (match-exhaustive), recall and the figures (match-eval). ANN rescoring is the domain's
 * `rankEncodedCandidates`, exhaustive scoring its `topMatchesEncoded`.
 */
import { forChunk } from "../../domain/random/index.js"
import type { MatchFigures, OriginResult } from "./match-result.js"

/** Stream of the origin sample, apart from every other use of the seed. */
const ORIGIN_STREAM = 0x0219

/** `n` distinct row indices out of `rows`, seeded, in increasing order (all rows when n >= rows). */
export const sampleRows = (rows: number, n: number, seed: number): Array<number> => {
  if (n >= rows) return Array.from({ length: rows }, (_, i) => i)
  const rng = forChunk(seed, 0, ORIGIN_STREAM)
  const picked = new Map<number, number>()
  const out: Array<number> = []
  // Partial Fisher-Yates over a virtual array, with swaps kept in a Map: O(n) whatever `rows`.
  for (let i = 0; i < n; i++) {
    const j = i + rng.below(rows - i)
    const atJ = picked.get(j) ?? j
    picked.set(j, picked.get(i) ?? i)
    out.push(atJ)
  }
  return out.sort((a, b) => a - b)
}

const mean = (xs: ReadonlyArray<number>): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length)

/** Recall of `exhaustive` ids by `ann` ids; null when `exhaustive` is empty. */
export const recallOf = (ann: ReadonlyArray<{ readonly id: number }>, exhaustive: ReadonlyArray<{ readonly id: number }>) => {
  if (exhaustive.length === 0) return null
  const got = new Set(ann.map((m) => m.id))
  return exhaustive.filter((m) => got.has(m.id)).length / exhaustive.length
}

/** Share of `exhaustive`'s places that ANN filled with a match as good as its last; null when empty. */
export const scoreRecallOf = (
  ann: ReadonlyArray<{ readonly score: number }>,
  exhaustive: ReadonlyArray<{ readonly score: number }>
) => {
  const last = exhaustive[exhaustive.length - 1]
  if (last === undefined) return null
  return Math.min(1, ann.filter((m) => m.score >= last.score).length / exhaustive.length)
}

/** The figures of a match evaluation over its per-origin results. */
export const figuresOf = (
  results: ReadonlyArray<OriginResult>,
  top: number,
  annMs: number,
  exhaustiveMs: number
): MatchFigures => {
  const n = results.length
  const candidates = results.reduce((s, r) => s + r.candidates, 0)
  const passed = results.reduce((s, r) => s + r.passedGates, 0)
  const topMean = (xs: ReadonlyArray<{ readonly score: number }>) => (top === 0 ? 0 : xs.reduce((s, m) => s + m.score, 0) / top)
  const recalls = results.flatMap((r) => (r.recall === null ? [] : [r.recall]))
  const scoreRecalls = results.flatMap((r) => (r.scoreRecall === null ? [] : [r.scoreRecall]))
  return {
    origins: n,
    candidateGatePassShare: candidates === 0 ? 0 : passed / candidates,
    annFullShare: n === 0 ? 0 : results.filter((r) => r.ann.length >= top).length / n,
    exhaustiveFullShare: n === 0 ? 0 : results.filter((r) => r.exhaustive.length >= top).length / n,
    annMeanTopScore: mean(results.map((r) => topMean(r.ann))),
    exhaustiveMeanTopScore: mean(results.map((r) => topMean(r.exhaustive))),
    recall: mean(recalls),
    scoreRecall: mean(scoreRecalls),
    annMsPerOrigin: n === 0 ? 0 : annMs / n,
    exhaustiveMsPerOrigin: n === 0 ? 0 : exhaustiveMs / n
  }
}
