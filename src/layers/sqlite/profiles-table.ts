/**
 * The `profiles` table: one row per profile, the seed's record with English column names and its
 * pt-BR values.
 *
 * | column              | type    | value                                                     |
 * |---------------------|---------|-----------------------------------------------------------|
 * | id                  | INTEGER | PRIMARY KEY, 1..count, contiguous                         |
 * | name                | TEXT    | first name (matching sex) and surname(s)                  |
 * | age                 | INTEGER | 18..65                                                    |
 * | city, state         | TEXT    | a city and its UF (state always the city's)               |
 * | sex                 | TEXT    | Masculino, Feminino, Não Binário, Prefiro não informar    |
 * | music_genres        | TEXT    | distinct items joined with ", " (primary item first)      |
 * | games               | TEXT    | favourite games, same format                              |
 * | platforms           | TEXT    | same format                                               |
 * | play_styles         | TEXT    | same format                                               |
 * | availability        | TEXT    | one of the seed's 8 values                                |
 * | interaction         | TEXT    | desired interaction, one of 5                             |
 * | shares_contact      | INTEGER | 0 or 1                                                    |
 * | description         | TEXT    | from the seed's four templates                            |
 * | years_of_experience | INTEGER | V6 extra, 0..age-12                                       |
 * | main_goal           | TEXT    | V6 extra                                                  |
 * | uses_microphone     | INTEGER | V6 extra, 0 or 1                                          |
 * | languages           | TEXT    | V6 extra, joined with ", "                                |
 * | competitive_level   | TEXT    | V6 extra                                                  |
 * | communication_style | TEXT    | V6 extra                                                  |
 *
 * Indexes (created after the bulk load, which is faster than maintaining them per insert):
 * (state, city) for regional queries, age, availability, platforms (the match score's gates).
 *
 * A chunk's digest is sha256 over its rows' canonical bytes: every column in the order above, as
 * text, separated by U+001F, each row ended by U+001E, UTF-8.
 */
import { createHash } from "node:crypto"
import type { ProfileChunk } from "../../domain/profile/index.js"
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
} from "../../domain/profile/index.js"
import { chunkInserter } from "./chunks-table.js"
import type { SqliteDatabase } from "./open.js"

export const PROFILES_TABLE = "profiles"

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

export const PROFILES_DDL = `CREATE TABLE IF NOT EXISTS profiles (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  age INTEGER NOT NULL,
  city TEXT NOT NULL,
  state TEXT NOT NULL,
  sex TEXT NOT NULL,
  music_genres TEXT NOT NULL,
  games TEXT NOT NULL,
  platforms TEXT NOT NULL,
  play_styles TEXT NOT NULL,
  availability TEXT NOT NULL,
  interaction TEXT NOT NULL,
  shares_contact INTEGER NOT NULL,
  description TEXT NOT NULL,
  years_of_experience INTEGER NOT NULL,
  main_goal TEXT NOT NULL,
  uses_microphone INTEGER NOT NULL,
  languages TEXT NOT NULL,
  competitive_level TEXT NOT NULL,
  communication_style TEXT NOT NULL
)`

export const PROFILES_INDEXES = [
  "CREATE INDEX IF NOT EXISTS idx_profiles_state_city ON profiles (state, city)",
  "CREATE INDEX IF NOT EXISTS idx_profiles_age ON profiles (age)",
  "CREATE INDEX IF NOT EXISTS idx_profiles_availability ON profiles (availability)",
  "CREATE INDEX IF NOT EXISTS idx_profiles_platforms ON profiles (platforms)"
]

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

const ROWS_PER_STATEMENT = 50
const placeholders = (rows: number) =>
  Array.from({ length: rows }, () => `(${PROFILE_COLUMNS.map(() => "?").join(",")})`).join(",")

/**
 * Prepares the chunk writer: `write(chunk)` inserts the chunk's rows and its `_chunks` row in one
 * transaction and returns the chunk digest. Rows go in multi-row INSERTs (fewer statement calls).
 */
export const profileChunkWriter = (db: SqliteDatabase) => {
  const many = db.prepare(`INSERT INTO profiles (${PROFILE_COLUMNS.join(",")}) VALUES ${placeholders(ROWS_PER_STATEMENT)}`)
  const one = db.prepare(`INSERT INTO profiles (${PROFILE_COLUMNS.join(",")}) VALUES ${placeholders(1)}`)
  const insertChunk = chunkInserter(db)
  const width = PROFILE_COLUMNS.length
  const transaction = db.transaction((chunk: ProfileChunk): string => {
    const hash = createHash("sha256")
    const batch = new Array<unknown>(width * ROWS_PER_STATEMENT)
    let filled = 0
    let text = ""
    for (let i = 0; i < chunk.count; i++) {
      const city = chunk.city[i] as number
      const row = [
        chunk.firstId + i,
        chunk.name[i] as string,
        chunk.age[i] as number,
        CITIES[city] as string,
        STATES[CITY_STATE[city] as number] as string,
        SEXES[chunk.sex[i] as number] as string,
        musicList(chunk.musicGenres[i] as number, chunk.primaryMusicGenre[i] as number),
        maskItems(GAMES, chunk.games, i * GAME_WORDS, GAME_WORDS, chunk.primaryGame[i] as number).join(", "),
        platformList(chunk.platforms[i] as number, chunk.primaryPlatform[i] as number),
        styleList(chunk.playStyles[i] as number, chunk.primaryPlayStyle[i] as number),
        AVAILABILITIES[chunk.availability[i] as number] as string,
        INTERACTIONS[chunk.interaction[i] as number] as string,
        chunk.sharesContact[i] as number,
        chunk.description[i] as string,
        chunk.yearsOfExperience[i] as number,
        MAIN_GOALS[chunk.mainGoal[i] as number] as string,
        chunk.usesMicrophone[i] as number,
        languageLists[chunk.languages[i] as number] as string,
        COMPETITIVE_LEVELS[chunk.competitiveLevel[i] as number] as string,
        COMMUNICATION_STYLES[chunk.communicationStyle[i] as number] as string
      ] as const
      text += row.join("\u001f") + "\u001e"
      if (text.length > 1 << 20) {
        hash.update(text)
        text = ""
      }
      for (let c = 0; c < width; c++) batch[filled * width + c] = row[c]
      filled++
      if (filled === ROWS_PER_STATEMENT) {
        many.run(batch)
        filled = 0
      }
    }
    for (let r = 0; r < filled; r++) one.run(batch.slice(r * width, (r + 1) * width))
    hash.update(text)
    const digest = hash.digest("hex")
    insertChunk({ chunk: chunk.chunk, rows: chunk.count, digest })
    return digest
  })
  return (chunk: ProfileChunk): string => transaction(chunk)
}
