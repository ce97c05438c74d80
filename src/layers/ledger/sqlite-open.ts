/**
 * Opening the ledger's SQLite file: parent directories, an integrity check, pragmas, migrations.
 * WAL lets `pipeline runs` and the dashboard read while a run writes; `synchronous=NORMAL` is
 * durable across process crashes in WAL mode (only a power loss can drop the last commits, never
 * corrupt the file); the busy timeout lets two processes queue for the single writer lock instead
 * of failing at once.
 *
 * A ledger that fails `PRAGMA quick_check` (a bad page, a truncated file) is refused: what it says
 * was committed decides what is reused, so a damaged one must never be used silently.
 *
 * A ledger in a store that cannot be written (a read-only mount, a directory without write
 * permission) is read from a private snapshot: SQLite cannot open a WAL database read-only unless
 * its `-shm` file exists or can be created, and better-sqlite3 has no `immutable=1` URI. The file
 * (with its WAL, if one was left) is copied aside, the WAL applied, and the result opened in
 * memory with `query_only`, so `plan`, `runs` and `show` work and any write fails loudly.
 */
import Database from "better-sqlite3"
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { LedgerError } from "../../runtime/errors.js"
import { openConfigured } from "../sqlite/open.js"
import { migrate } from "./sqlite-migrations.js"

const isInMemory = (path: string): boolean => path === ":memory:" || path === ""

const codeOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : ""

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** SQLite's own words for a file that is not a sound database. */
const isCorruption = (error: unknown): boolean => {
  const code = codeOf(error)
  return code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB"
}

/** Opening for writing failed because the store refuses writes, not because the file is bad. */
const isReadOnlyStore = (error: unknown): boolean => {
  const code = codeOf(error)
  return code.startsWith("SQLITE_READONLY") || code === "SQLITE_CANTOPEN" || code === "EROFS" || code === "EACCES"
}

/** The message for a damaged ledger: which file, why, and how to start again. */
export const damagedLedgerMessage = (path: string, detail: string): string =>
  `the run ledger ${path} is damaged (${detail}); what it records as committed decides what is reused, so it cannot be trusted. ` +
  `Move it aside and run again: \`mv ${path} ${path}.damaged\` (with its -wal and -shm files if there are any); ` +
  `the next run starts a new ledger and runs every stage again (the outputs it recorded are not reused).`

/**
 * Fails with the damaged-ledger LedgerError unless `PRAGMA quick_check` says "ok". quick_check
 * reads every page (it skips only the index-to-table cross checks of integrity_check): a ledger
 * is kilobytes to a few megabytes, so this costs milliseconds.
 */
const checkIntact = (db: Database.Database, path: string): void => {
  const rows = db.pragma("quick_check(5)", { simple: false }) as Array<Record<string, unknown>>
  const problems = rows
    .flatMap((row) => String(Object.values(row)[0]).split("\n"))
    .filter((line) => line !== "ok" && !line.startsWith("*** in database"))
  if (problems.length > 0) throw new LedgerError({ message: damagedLedgerMessage(path, `quick_check: ${problems.join("; ")}`) })
}

/** Rethrows a corruption error of SQLite as the damaged-ledger LedgerError; others unchanged. */
const asDamaged = (path: string, error: unknown): unknown =>
  error instanceof LedgerError || !isCorruption(error) ? error : new LedgerError({ message: damagedLedgerMessage(path, messageOf(error)), cause: error })

/** Whether `path` and its directory (where the -wal and -shm files go) may be written. */
const isWritable = (path: string): boolean => {
  try {
    accessSync(path, constants.W_OK)
    accessSync(dirname(path), constants.W_OK)
    return true
  } catch {
    return false
  }
}

/**
 * The ledger at `path` as an in-memory, query-only copy (see the module comment). Migrations are
 * applied to the copy only, so an older ledger on a read-only store can still be planned.
 */
const openReadOnlySnapshot = (path: string): Database.Database => {
  const scratch = mkdtempSync(join(tmpdir(), "pipeline-ledger-"))
  try {
    const copy = join(scratch, "ledger.sqlite")
    copyFileSync(path, copy)
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`)
    // Applies a WAL left by a crashed writer, then leaves one self-contained file.
    const flatten = new Database(copy)
    try {
      checkIntact(flatten, path)
      flatten.pragma("journal_mode = DELETE")
    } finally {
      flatten.close()
    }
    // A serialized database opens in memory: nothing of it stays on disk once `scratch` is gone.
    const db = new Database(readFileSync(copy))
    try {
      db.pragma("foreign_keys = ON")
      migrate(db)
      db.pragma("query_only = ON")
      return db
    } catch (error) {
      db.close()
      throw error
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

const openWritable = (path: string): Database.Database =>
  openConfigured(path, {}, (db) => {
    db.pragma("busy_timeout = 5000")
    if (!isInMemory(path)) checkIntact(db, path)
    db.pragma("journal_mode = WAL")
    db.pragma("synchronous = NORMAL")
    db.pragma("foreign_keys = ON")
    migrate(db)
  })

/**
 * Opens and migrates the ledger database; closes it again if any step fails. A damaged file is
 * refused with a LedgerError saying how to rebuild it; an existing ledger in a store that cannot
 * be written is opened as a read-only snapshot. Throws on failure.
 */
export const openLedgerDatabase = (path: string): Database.Database => {
  if (isInMemory(path)) return openWritable(path)
  try {
    if (existsSync(path) && !isWritable(path)) return openReadOnlySnapshot(path)
    mkdirSync(dirname(path), { recursive: true })
    try {
      return openWritable(path)
    } catch (error) {
      if (!isCorruption(error) && !(error instanceof LedgerError) && isReadOnlyStore(error) && existsSync(path)) {
        return openReadOnlySnapshot(path)
      }
      throw error
    }
  } catch (error) {
    throw asDamaged(path, error)
  }
}
