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
 * (state, city) for regional queries and age. Each index costs ~80 ms per 100,000 rows at the end
 * of the load, so only these two.
 *
 * How rows get in (measured at 1,000,000 profiles on the 2-core machine): a worker writes each
 * generated chunk into a SQLite file of its own (`writeProfileChunkFile`, no journal: the file is
 * scratch until copied), and the stage's connection copies it in with `INSERT INTO profiles SELECT
 * * FROM chunk.profiles` (`profileChunkAppender`). SQLite copies such rows as raw records (its
 * "xfer" optimisation: same schema, no indexes yet), about 1.5 µs a row on the one writer thread,
 * while binding 20 values a row and building the records (~6 µs a row) runs on the workers in
 * parallel. Inserting every row on the writer thread took 11.5 s for the stage; this takes ~7 s.
 * A worker on another host (a remote WorkerPool) builds the same database in memory and returns
 * its bytes (`serializeProfileChunk`), which the stage writes to the scratch file before the copy.
 *
 * Row values and chunk digests: profile-table-rows.ts.
 */
import type { ProfileChunk } from "../domain/profile/index.js"
import { chunkInserter } from "../layers/sqlite/chunks-table.js"
import { openConfigured, openScratchDatabase, removeDatabaseFiles, type SqliteDatabase } from "../layers/sqlite/open.js"
import { fillRow, PROFILE_COLUMNS } from "./profile-table-rows.js"

/** The table's name in its database. */
export const PROFILES_TABLE = "profiles"

/** `CREATE TABLE IF NOT EXISTS profiles (...)`. */
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

/** The indexes, created once the bulk load is done. */
export const PROFILES_INDEXES = [
  "CREATE INDEX IF NOT EXISTS idx_profiles_state_city ON profiles (state, city)",
  "CREATE INDEX IF NOT EXISTS idx_profiles_age ON profiles (age)"
]

const ROWS_PER_STATEMENT = 50
const placeholders = (rows: number) =>
  Array.from({ length: rows }, () => `(${PROFILE_COLUMNS.map(() => "?").join(",")})`).join(",")

/** Creates the `profiles` table in `db` (new, empty) and inserts `chunk`'s rows, in one transaction. */
const fillProfileChunkDatabase = (db: SqliteDatabase, chunk: ProfileChunk): void => {
  db.exec(PROFILES_DDL)
  const columns = PROFILE_COLUMNS.join(",")
  const many = db.prepare(`INSERT INTO profiles (${columns}) VALUES ${placeholders(ROWS_PER_STATEMENT)}`)
  const one = db.prepare(`INSERT INTO profiles (${columns}) VALUES ${placeholders(1)}`)
  const width = PROFILE_COLUMNS.length
  const batch = new Array<unknown>(width * ROWS_PER_STATEMENT)
  const single = new Array<unknown>(width)
  db.transaction(() => {
    const full = chunk.count - (chunk.count % ROWS_PER_STATEMENT)
    for (let i = 0; i < full; i += ROWS_PER_STATEMENT) {
      for (let r = 0; r < ROWS_PER_STATEMENT; r++) fillRow(chunk, i + r, batch, r * width)
      many.run(batch)
    }
    for (let i = full; i < chunk.count; i++) {
      fillRow(chunk, i, single, 0)
      one.run(single)
    }
  })()
}

/**
 * Writes `chunk`'s rows into a new SQLite file at `path` (replacing any file there) holding only the
 * `profiles` table: a scratch file for `profileChunkAppender`, so no journal and no syncs (a crash
 * loses nothing that the chunk's regeneration would not rebuild).
 */
export const writeProfileChunkFile = (path: string, chunk: ProfileChunk): void => {
  const db = openScratchDatabase(path)
  try {
    fillProfileChunkDatabase(db, chunk)
  } finally {
    db.close()
  }
}

/**
 * The SQLite file `writeProfileChunkFile` would write, built in memory and returned as its bytes
 * (for a task on another host: the caller writes them to the scratch file `profileChunkAppender`
 * reads). Same page size as the scratch file; no journal, nothing to roll back.
 */
export const serializeProfileChunk = (chunk: ProfileChunk): Uint8Array<ArrayBuffer> => {
  const db = openConfigured(":memory:", {}, (memory) => {
    memory.pragma("page_size = 16384")
    memory.pragma("journal_mode = OFF")
  })
  try {
    fillProfileChunkDatabase(db, chunk)
    // Copied onto a buffer V8 owns, so the bytes can be moved to another thread (transfer list).
    return new Uint8Array(db.serialize())
  } finally {
    db.close()
  }
}

/**
 * Prepares `append(chunkFile, chunk, rows, digest)`: copies the rows of a file written by
 * `writeProfileChunkFile` into `profiles`, together with the chunk's `_chunks` row, in one
 * transaction (the chunk checkpoint), checks the count, then deletes the file.
 */
export const profileChunkAppender = (db: SqliteDatabase) => {
  const insertChunk = chunkInserter(db)
  const copy = db.transaction((chunk: number, rows: number, digest: string): void => {
    const copied = db.prepare(`INSERT INTO main.${PROFILES_TABLE} SELECT * FROM chunk_rows.${PROFILES_TABLE}`).run().changes
    if (copied !== rows) throw new Error(`chunk ${chunk}: its file holds ${copied} rows, expected ${rows}`)
    insertChunk({ chunk, rows, digest })
  })
  return (chunkFile: string, chunk: number, rows: number, digest: string): void => {
    // ATTACH is not allowed inside a transaction, so it wraps the copy's.
    db.prepare("ATTACH DATABASE ? AS chunk_rows").run(chunkFile)
    try {
      copy(chunk, rows, digest)
    } finally {
      db.exec("DETACH DATABASE chunk_rows")
    }
    removeDatabaseFiles(chunkFile)
  }
}
