/**
 * Per-pair scoring over `EncodedProfiles`: the same numbers as the reference `scorePrepared`, bit
 * for bit in float64. These check their row arguments and are meant for single pairs (a match's
 * breakdown, spot checks); exhaustive loops over many rows are in score-all.ts.
 *
 * Why it is exact: Jaccard divides the same two integers as the reference (`jaccardFromCounts`),
 * availability and interaction come from Float64 tables built by the reference's rule functions,
 * and the weighted sum adds in the same order.
 */
import { AVAILABILITY_BUCKETS, AVAILABILITY_TABLE } from "../availability.js"
import { DEFAULT_MATCH_CONFIG, type MatchConfig } from "../config.js"
import { INTERACTION_CLASSES, INTERACTION_TABLE } from "../interaction.js"
import { jaccardFromCounts } from "../jaccard.js"
import { combineComponents, type MatchBreakdown, type MatchComponents } from "../score.js"
import type { EncodedProfiles } from "./encoder.js"
import { popcount32 } from "./popcount.js"
import type { BitsetColumn } from "./set-column.js"

const checkRow = (enc: EncodedProfiles, row: number, name: string): void => {
  if (!Number.isInteger(row) || row < 0 || row >= enc.count) {
    throw new RangeError(`${name} must be a row in [0, ${enc.count}), got ${row}`)
  }
}

/** Jaccard of rows `i` and `j` of one bitset column. */
const jaccardRows = (col: BitsetColumn, i: number, j: number): number => {
  const words = col.words
  const bits = col.bits
  const bi = i * words
  const bj = j * words
  let intersection = 0
  for (let w = 0; w < words; w++) intersection += popcount32((bits[bi + w] ?? 0) & (bits[bj + w] ?? 0))
  return jaccardFromCounts(intersection, col.sizes[i] ?? 0, col.sizes[j] ?? 0)
}

const interactionOf = (enc: EncodedProfiles, i: number, j: number): number => {
  const idI = enc.interactionId[i] ?? 0
  if (idI !== 0 && idI === enc.interactionId[j]) return 1
  return INTERACTION_TABLE[(enc.interactionClass[i] ?? 0) * INTERACTION_CLASSES + (enc.interactionClass[j] ?? 0)] ?? 0
}

/** The five components of rows `i` and `j`. */
export const componentsEncoded = (enc: EncodedProfiles, i: number, j: number): MatchComponents => {
  checkRow(enc, i, "i")
  checkRow(enc, j, "j")
  return {
    platforms: jaccardRows(enc.platforms, i, j),
    availability:
      AVAILABILITY_TABLE[(enc.availability[i] ?? 0) * AVAILABILITY_BUCKETS + (enc.availability[j] ?? 0)] ?? 0,
    games: jaccardRows(enc.games, i, j),
    styles: jaccardRows(enc.styles, i, j),
    interaction: interactionOf(enc, i, j)
  }
}

/** The breakdown of rows `i` and `j`, equal to the reference `scorePrepared` of the two profiles. */
export const breakdownEncoded = (
  enc: EncodedProfiles,
  i: number,
  j: number,
  config: MatchConfig = DEFAULT_MATCH_CONFIG
): MatchBreakdown => combineComponents(componentsEncoded(enc, i, j), config)

/** The score of rows `i` and `j` (0 when a gate fails). */
export const scoreEncoded = (
  enc: EncodedProfiles,
  i: number,
  j: number,
  config: MatchConfig = DEFAULT_MATCH_CONFIG
): number => {
  checkRow(enc, i, "i")
  checkRow(enc, j, "j")
  const platforms = jaccardRows(enc.platforms, i, j)
  if (platforms < config.gates.platforms) return 0
  const availability =
    AVAILABILITY_TABLE[(enc.availability[i] ?? 0) * AVAILABILITY_BUCKETS + (enc.availability[j] ?? 0)] ?? 0
  if (availability < config.gates.availability) return 0
  const w = config.weights
  return (
    w.platforms * platforms +
    w.availability * availability +
    w.games * jaccardRows(enc.games, i, j) +
    w.styles * jaccardRows(enc.styles, i, j) +
    w.interaction * interactionOf(enc, i, j)
  )
}
