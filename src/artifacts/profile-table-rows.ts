/**
 * The `profiles` table's row values for a ProfileChunk row, in column order (profile-table-sql.ts),
 * and the chunk digest (see profileChunkDigest). Pure (no SQLite), so a worker computes the digest
 * next to generating the chunk and the writer thread only inserts.
 */
import { createHash } from "node:crypto"
import type { ProfileChunk } from "../domain/profile/index.js"
import {
  AVAILABILITIES,
  CITIES,
  CITY_STATE,
  COMMUNICATION_STYLES,
  COMPETITIVE_LEVELS,
  GAME_WORDS,
  GAMES,
  INTERACTIONS,
  LANGUAGES,
  MAIN_GOALS,
  maskItems,
  MUSIC_GENRES,
  PLATFORMS,
  PLAY_STYLES,
  SEXES,
  STATES
} from "../domain/profile/index.js"

/** The `profiles` table's columns, in order. */
export const PROFILE_COLUMNS = [
  "id",
  "name",
  "age",
  "city",
  "state",
  "sex",
  "music_genres",
  "games",
  "platforms",
  "play_styles",
  "availability",
  "interaction",
  "shares_contact",
  "description",
  "years_of_experience",
  "main_goal",
  "uses_microphone",
  "languages",
  "competitive_level",
  "communication_style"
] as const

/** Lists of single-word masks, cached by (mask, primary): few distinct values, many rows. */
const listCache = (vocabulary: ReadonlyArray<string>) => {
  const cache = new Map<number, string>()
  return (mask: number, primary: number): string => {
    const key = mask * 128 + primary
    let text = cache.get(key)
    if (text === undefined) {
      text = maskItems(vocabulary, Uint32Array.of(mask), 0, 1, primary).join(", ")
      cache.set(key, text)
    }
    return text
  }
}
const musicList = listCache(MUSIC_GENRES)
const platformList = listCache(PLATFORMS)
const styleList = listCache(PLAY_STYLES)
const languageLists = Array.from({ length: 8 }, (_, mask) => LANGUAGES.filter((_, i) => (mask & (1 << i)) !== 0).join(", "))

/** Writes row i's column values into out[offset .. offset + PROFILE_COLUMNS.length). */
export const fillRow = (chunk: ProfileChunk, i: number, out: Array<unknown>, offset: number): void => {
  const city = chunk.city[i] as number
  out[offset] = chunk.firstId + i
  out[offset + 1] = chunk.name[i] as string
  out[offset + 2] = chunk.age[i] as number
  out[offset + 3] = CITIES[city] as string
  out[offset + 4] = STATES[CITY_STATE[city] as number] as string
  out[offset + 5] = SEXES[chunk.sex[i] as number] as string
  out[offset + 6] = musicList(chunk.musicGenres[i] as number, chunk.primaryMusicGenre[i] as number)
  out[offset + 7] = maskItems(GAMES, chunk.games, i * GAME_WORDS, GAME_WORDS, chunk.primaryGame[i] as number).join(", ")
  out[offset + 8] = platformList(chunk.platforms[i] as number, chunk.primaryPlatform[i] as number)
  out[offset + 9] = styleList(chunk.playStyles[i] as number, chunk.primaryPlayStyle[i] as number)
  out[offset + 10] = AVAILABILITIES[chunk.availability[i] as number] as string
  out[offset + 11] = INTERACTIONS[chunk.interaction[i] as number] as string
  out[offset + 12] = chunk.sharesContact[i] as number
  out[offset + 13] = chunk.description[i] as string
  out[offset + 14] = chunk.yearsOfExperience[i] as number
  out[offset + 15] = MAIN_GOALS[chunk.mainGoal[i] as number] as string
  out[offset + 16] = chunk.usesMicrophone[i] as number
  out[offset + 17] = languageLists[chunk.languages[i] as number] as string
  out[offset + 18] = COMPETITIVE_LEVELS[chunk.competitiveLevel[i] as number] as string
  out[offset + 19] = COMMUNICATION_STYLES[chunk.communicationStyle[i] as number] as string
}

/**
 * sha256 (hex) of the chunk's rows. Every column of a row is a function of the chunk's numeric
 * columns (codes, bitmasks, primary items) and its two string columns, and ids are firstId + i, so
 * hashing those IS hashing the rows, without rendering every row as text (which cost a worker
 * ~200 ms per 100,000 rows plus garbage): firstId and count, the numeric buffer, then each name and
 * description separated by U+001F and ended by U+001E, UTF-8.
 */
export const profileChunkDigest = (chunk: ProfileChunk): string => {
  const hash = createHash("sha256")
  hash.update(`${chunk.firstId}\u001f${chunk.count}\u001e`)
  hash.update(new Uint8Array(chunk.buffer))
  let text = ""
  for (let i = 0; i < chunk.count; i++) {
    text += `${chunk.name[i] as string}\u001f${chunk.description[i] as string}\u001e`
    if (text.length > 1 << 18) {
      hash.update(text)
      text = ""
    }
  }
  hash.update(text)
  return hash.digest("hex")
}
