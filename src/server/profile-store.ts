/**
 * Read-only access to the `profiles` table for the dashboard: rows by id (prepared statements, one
 * `IN (...)` query for a page of matches), a name search, and a stream of the five fields the match
 * score reads (for encoding every profile once at load). Rows are decoded with a Schema of the
 * table's columns (src/artifacts/profile-table-sql.ts) before they become API profiles.
 */
import { readFileSync, statSync } from "node:fs"
import Database from "better-sqlite3"
import { Schema } from "effect"
import { type ApiProfile, SearchHit } from "./api-schema.js"
import { quickCheckOffThread } from "./quick-check-thread.js"

/** One row of the `profiles` table as SQLite returns it. */
const ProfileRow = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  age: Schema.Int,
  city: Schema.String,
  state: Schema.String,
  sex: Schema.String,
  music_genres: Schema.String,
  games: Schema.String,
  platforms: Schema.String,
  play_styles: Schema.String,
  availability: Schema.String,
  interaction: Schema.String,
  shares_contact: Schema.Int,
  description: Schema.String,
  years_of_experience: Schema.Int,
  main_goal: Schema.String,
  uses_microphone: Schema.Int,
  languages: Schema.String,
  competitive_level: Schema.String,
  communication_style: Schema.String
})
type ProfileRow = typeof ProfileRow.Type

const decodeRow = Schema.decodeUnknownSync(ProfileRow)

/** The table's lists are items joined with ", " (src/artifacts/profile-table-sql.ts). */
const splitList = (text: string): Array<string> =>
  text === "" ? [] : text.split(",").map((s) => s.trim()).filter((s) => s !== "")

const toApiProfile = (row: ProfileRow): ApiProfile => ({
  id: row.id,
  name: row.name,
  age: row.age,
  city: row.city,
  state: row.state,
  sex: row.sex,
  musicGenres: splitList(row.music_genres),
  favouriteGames: splitList(row.games),
  platforms: splitList(row.platforms),
  playStyles: splitList(row.play_styles),
  availability: row.availability,
  desiredInteraction: row.interaction,
  sharesContact: row.shares_contact !== 0,
  description: row.description,
  yearsOfExperience: row.years_of_experience,
  mainGoal: row.main_goal,
  usesMicrophone: row.uses_microphone !== 0,
  languages: splitList(row.languages),
  competitiveLevel: row.competitive_level,
  communicationStyle: row.communication_style
})

/** What the score reads from a row, in the table's own text form. */
export interface ScoredFieldsRow {
  readonly id: number
  readonly platforms: string
  readonly availability: string
  readonly games: string
  readonly play_styles: string
  readonly interaction: string
}

const decodeHits = Schema.decodeUnknownSync(Schema.Array(SearchHit))

export interface ProfileStore {
  readonly count: number
  readonly byId: (id: number) => ApiProfile | undefined
  /** Profiles of `ids` (missing ones left out), in the order of `ids`. */
  readonly byIds: (ids: ReadonlyArray<number>) => ReadonlyArray<ApiProfile>
  /** Profiles whose name contains `text` (case-insensitive for ASCII), by id. */
  readonly searchByName: (text: string, limit: number) => ReadonlyArray<SearchHit>
  /** Every row's scored fields, in id order. */
  readonly scoredFields: () => IterableIterator<ScoredFieldsRow>
  readonly close: () => void
}

/** Placeholders per `IN (...)` statement: one prepared statement serves every page of matches. */
const IN_BATCH = 32

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`

/** `LIKE` pattern matching `text` anywhere, with `%`, `_` and the escape character taken literally. */
const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** How many `quick_check` complaints a load failure quotes. */
const QUICK_CHECK_QUOTED = 3

/**
 * The profiles file, read-only. A finished table is in WAL mode, and SQLite cannot read a WAL
 * file read-only in a directory it may not write (it needs the `-shm` beside it; this build of
 * better-sqlite3 has no URI filenames, so `immutable=1` is out of reach): for a read-only store
 * the file is read into memory instead (its size in RAM), and the store is left untouched.
 */
const openReadOnly = (path: string): { readonly db: Database.Database; readonly inMemory: boolean } => {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true })
    // The first read is where a read-only directory shows (opening alone does not touch -shm).
    db.pragma("schema_version", { simple: true })
    return { db, inMemory: false }
  } catch (error) {
    const code = (error as { readonly code?: unknown }).code
    if (code !== "SQLITE_READONLY_DIRECTORY" && code !== "SQLITE_CANTOPEN") throw error
    const wal = statSync(`${path}-wal`, { throwIfNoEntry: false })
    if (wal !== undefined && wal.size > 0) {
      throw new Error(`${path} has uncheckpointed pages in its -wal file and its directory is read-only: it cannot be read as committed`)
    }
    const bytes = readFileSync(path)
    // Header bytes 18-19 (read and write format versions) are 2 in WAL mode, which an in-memory
    // copy cannot use; 1 (rollback journal) reads the same pages. The WAL is empty (checked above).
    if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
      bytes[18] = 1
      bytes[19] = 1
    }
    return { db: new Database(bytes, { readonly: true }), inMemory: true }
  }
}

/**
 * `PRAGMA quick_check` over the whole file: a bad page is found at load, not by the request (or
 * the load's own scan) that happens to read it. Throws with SQLite's first complaints.
 */
const quickCheck = (db: Database.Database, path: string): void => {
  const rows = db.pragma("quick_check") as ReadonlyArray<{ readonly quick_check: string }>
  const problems = rows.map((r) => r.quick_check).filter((m) => m !== "ok")
  if (problems.length > 0) throw quickCheckFailure(path, problems)
}

const quickCheckFailure = (path: string, problems: ReadonlyArray<string>): Error =>
  new Error(
    `${path} fails SQLite's quick_check (${problems.length} problem${problems.length === 1 ? "" : "s"}): ` +
      problems.slice(0, QUICK_CHECK_QUOTED).join("; ")
  )

/**
 * Opens the profiles table read-only after checking the file; rejects when it is unusable. The
 * check runs on a worker thread; a file that can be read only from memory (a read-only directory)
 * is checked there, on this thread.
 */
export const openProfileStore = async (path: string, table: string): Promise<ProfileStore> => {
  const offThread = await quickCheckOffThread(path)
  if (offThread._tag === "Checked" && offThread.problems.length > 0) throw quickCheckFailure(path, offThread.problems)
  const { db, inMemory } = openReadOnly(path)
  try {
    if (offThread._tag === "CannotOpen" || inMemory) quickCheck(db, path)
  } catch (error) {
    db.close()
    throw error
  }
  const t = quoteIdent(table)
  const one = db.prepare(`SELECT * FROM ${t} WHERE id = ?`)
  const many = db.prepare(`SELECT * FROM ${t} WHERE id IN (${Array.from({ length: IN_BATCH }, () => "?").join(",")})`)
  const search = db.prepare(
    `SELECT id, name, age, city, state FROM ${t} WHERE name LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?`
  )
  const scored = db.prepare(`SELECT id, platforms, availability, games, play_styles, interaction FROM ${t} ORDER BY id`)
  const count = (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n

  const byIds = (ids: ReadonlyArray<number>): ReadonlyArray<ApiProfile> => {
    const found = new Map<number, ApiProfile>()
    for (let start = 0; start < ids.length; start += IN_BATCH) {
      const batch = ids.slice(start, start + IN_BATCH)
      // Pad with an id no row has (ids are non-negative), so one statement fits every batch size.
      const args = [...batch, ...Array.from({ length: IN_BATCH - batch.length }, () => -1)]
      for (const row of many.all(args)) {
        const profile = toApiProfile(decodeRow(row))
        found.set(profile.id, profile)
      }
    }
    return ids.flatMap((id) => {
      const p = found.get(id)
      return p === undefined ? [] : [p]
    })
  }

  return {
    count,
    byId: (id) => {
      const row = one.get(id)
      return row === undefined ? undefined : toApiProfile(decodeRow(row))
    },
    byIds,
    searchByName: (text, limit) => decodeHits(search.all(containsPattern(text), limit)),
    scoredFields: () => scored.iterate() as IterableIterator<ScoredFieldsRow>,
    close: () => db.close()
  }
}
