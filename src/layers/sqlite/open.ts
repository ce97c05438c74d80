/**
 * Opening a data database with the pragmas bulk loading wants: WAL (readers never block the one
 * writer), `synchronous=NORMAL` (durable across process crashes in WAL mode; a power loss can only
 * drop the last commits), a sized page cache, `temp_store=MEMORY` (index builds sort in memory).
 * Writes go through prepared statements inside explicit transactions (`db.transaction`).
 */
import Database from "better-sqlite3"
import { mkdirSync } from "node:fs"
import { dirname } from "node:path"

export interface OpenOptions {
  /** Page cache size in MiB (default 64). */
  readonly cacheMiB?: number
  /** Open read-only (the file must exist). */
  readonly readonly?: boolean
}

export type SqliteDatabase = Database.Database

const isInMemory = (path: string): boolean => path === ":memory:" || path === ""

/** Opens `path` (creating parent directories), applies the pragmas; throws on failure. */
export const openDatabase = (path: string, options: OpenOptions = {}): SqliteDatabase => {
  const readonly = options.readonly ?? false
  if (!isInMemory(path) && !readonly) mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path, { readonly, fileMustExist: readonly })
  try {
    if (!readonly) {
      db.pragma("journal_mode = WAL")
      db.pragma("synchronous = NORMAL")
    }
    db.pragma(`cache_size = ${-1024 * (options.cacheMiB ?? 64)}`)
    db.pragma("temp_store = MEMORY")
    db.pragma("busy_timeout = 5000")
    return db
  } catch (error) {
    db.close()
    throw error
  }
}
