/**
 * Builds `EncodedProfiles` straight from columns that already code the five fields against the
 * seed's lists, such as the profile generator's chunks (bit k of a platform mask = the k-th entry
 * of PLATAFORMAS, availability = index into DISPONIBILIDADE_LISTA, ...). That skips all string
 * work: the match-eval stage can encode a million generated profiles in milliseconds instead of
 * re-parsing their text. The result is the same as `encodeProfiles` of the decoded profiles
 * (tested), because the default vocabularies give the seed's values the same codes in the same
 * order.
 */
import { availabilityBucket } from "../availability.js"
import { INTERACTION_MISSING, interactionClass, normalizeInteraction } from "../interaction.js"
import { normalizeItem } from "../item-set.js"
import { SEED_AVAILABILITY, SEED_GAMES, SEED_INTERACTION, SEED_PLATFORMS, SEED_PLAY_STYLES } from "../seed-values.js"
import type { EncodedProfiles } from "./encoder.js"
import { popcount32 } from "./popcount.js"
import type { BitsetColumn } from "./set-column.js"
import { wordsFor } from "./vocabulary.js"

/** Seed-coded columns, row-major; the typed arrays are used as they are, not copied. */
export interface SeedCodedColumns {
  readonly count: number
  /** Bitmasks over SEED_PLATFORMS, 1 word per row. */
  readonly platforms: Uint32Array
  /** Bitmasks over SEED_GAMES, 4 words per row. */
  readonly games: Uint32Array
  /** Bitmasks over SEED_PLAY_STYLES, 1 word per row. */
  readonly styles: Uint32Array
  /** Index into SEED_AVAILABILITY per row. */
  readonly availability: Uint8Array
  /** Index into SEED_INTERACTION per row. */
  readonly interaction: Uint8Array
}

const bitsetColumn = (name: string, bits: Uint32Array, count: number, values: ReadonlyArray<string>): BitsetColumn => {
  const words = wordsFor(values.length)
  if (bits.length !== count * words) {
    throw new RangeError(`${name}: expected ${count * words} words (${words} per row), got ${bits.length}`)
  }
  // Bits past the list's end would be items with no name: reject them rather than score them.
  const spare = values.length % 32
  const lastMask = spare === 0 ? 0 : ~((1 << spare) - 1)
  const sizes = new Uint32Array(count)
  for (let row = 0; row < count; row++) {
    let size = 0
    for (let w = 0; w < words; w++) size += popcount32(bits[row * words + w] as number)
    if (((bits[row * words + words - 1] as number) & lastMask) !== 0) {
      throw new RangeError(`${name}: row ${row} has bits beyond the ${values.length} list values`)
    }
    sizes[row] = size
  }
  return { words, bits, sizes, vocabulary: values.map(normalizeItem) }
}

const checkCodes = (name: string, codes: Uint8Array, count: number, values: ReadonlyArray<string>): void => {
  if (codes.length !== count) throw new RangeError(`${name}: expected ${count} codes, got ${codes.length}`)
  for (let row = 0; row < count; row++) {
    if ((codes[row] as number) >= values.length) {
      throw new RangeError(`${name}: row ${row} has code ${codes[row]}, outside the ${values.length} list values`)
    }
  }
}

export const encodeSeedCodes = (columns: SeedCodedColumns): EncodedProfiles => {
  const { count } = columns
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`)
  checkCodes("availability", columns.availability, count, SEED_AVAILABILITY)
  checkCodes("interaction", columns.interaction, count, SEED_INTERACTION)
  const bucketOfCode = SEED_AVAILABILITY.map((value) => availabilityBucket(value))
  const interactionKeys = SEED_INTERACTION.map((value) => normalizeInteraction(value) ?? "")
  const classOfCode = interactionKeys.map((key) => (key === "" ? INTERACTION_MISSING : interactionClass(key)))
  const availability = new Uint8Array(count)
  const interactionClasses = new Uint8Array(count)
  const interactionId = new Uint32Array(count)
  for (let row = 0; row < count; row++) {
    const a = columns.availability[row] as number
    const i = columns.interaction[row] as number
    availability[row] = bucketOfCode[a] as number
    interactionClasses[row] = classOfCode[i] as number
    interactionId[row] = i + 1 // the encoder's default interaction vocabulary is SEED_INTERACTION in order
  }
  return {
    count,
    platforms: bitsetColumn("platforms", columns.platforms, count, SEED_PLATFORMS),
    games: bitsetColumn("games", columns.games, count, SEED_GAMES),
    styles: bitsetColumn("styles", columns.styles, count, SEED_PLAY_STYLES),
    availability,
    interactionClass: interactionClasses,
    interactionId,
    interactionValues: interactionKeys
  }
}
