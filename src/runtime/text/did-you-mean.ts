/**
 * "Did you mean" suggestions for unknown names (stage kinds, stage ids, config keys, params...).
 * A typo is usually one or two edits away from the intended name, so we rank known names by
 * optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so `stagse` is one
 * edit from `stages`) and only suggest one that is close relative to the name's length.
 */

/** Edit distance counting insertions, deletions, substitutions and adjacent transpositions. */
export const editDistance = (a: string, b: string): number => {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: Array<Array<number>> = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  )
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1)
      }
      const row = d[i]
      if (row !== undefined) row[j] = best
    }
  }
  return at(a.length, b.length)
}

/**
 * The known name nearest to `name`, if it is close enough to be a plausible typo: at most a third
 * of the longer name's length in edits (and at least one edit allowed), or a case-only difference.
 * Ties go to the earlier candidate, so callers control preference by order.
 */
export const nearestName = (name: string, candidates: Iterable<string>): string | undefined => {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    if (candidate === name) continue
    const distance =
      candidate.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name.toLowerCase(), candidate.toLowerCase())
    const limit = Math.max(1, Math.floor(Math.max(name.length, candidate.length) / 3))
    if (distance <= limit && distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/**
 * A sentence to append to an "unknown X" message: the suggestion when there is one, otherwise the
 * list of known names (or a note that there are none), so the reader always learns what is valid.
 */
export const suggestionText = (name: string, candidates: ReadonlyArray<string>, noun = "names"): string => {
  const nearest = nearestName(name, candidates)
  if (nearest !== undefined) return `did you mean '${nearest}'?`
  if (candidates.length === 0) return `there are no known ${noun}`
  return `known ${noun}: ${candidates.map((c) => `'${c}'`).join(", ")}`
}
