/**
 * `EncodedProfiles` of generated profiles: the five scored fields of their chunks' codes
 * (ProfileCodes), concatenated in row order and encoded once (`encodeSeedCodes`: the generator's
 * codes are the seed's list positions).
 */
import type { ProfileCodes } from "../../profile/chunk.js"
import { GAME_WORDS } from "../../profile/vocabulary.js"
import type { EncodedProfiles } from "./encoder.js"
import { encodeSeedCodes } from "./from-seed-codes.js"

/** Concatenates the five scored fields of `rows` profiles' chunks and encodes them once (row = table row). */
export const encodeProfileCodes = (chunks: Iterable<ProfileCodes>, rows: number): EncodedProfiles => {
  const platforms = new Uint32Array(rows)
  const games = new Uint32Array(rows * GAME_WORDS)
  const styles = new Uint32Array(rows)
  const availability = new Uint8Array(rows)
  const interaction = new Uint8Array(rows)
  let at = 0
  for (const c of chunks) {
    if (at + c.count > rows) throw new RangeError(`chunks hold more than ${rows} rows`)
    platforms.set(c.platforms, at)
    games.set(c.games, at * GAME_WORDS)
    styles.set(c.playStyles, at)
    availability.set(c.availability, at)
    interaction.set(c.interaction, at)
    at += c.count
  }
  if (at !== rows) throw new RangeError(`chunks hold ${at} rows, expected ${rows}`)
  return encodeSeedCodes({ count: rows, platforms, games, styles, availability, interaction })
}
