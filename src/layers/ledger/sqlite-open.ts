/**
 * Opening the ledger's SQLite file: parent directories, pragmas, migrations. WAL lets `pipeline
 * runs` and the dashboard read while a run writes; `synchronous=NORMAL` is durable across process
 * crashes in WAL mode (only a power loss can drop the last commits, never corrupt the file); the
 * busy timeout lets two processes queue for the single writer lock instead of failing at once.
 */
import type Database from "better-sqlite3"
import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { openConfigured } from "../sqlite/open.js"
import { migrate } from "./sqlite-migrations.js"

const isInMemory = (path: string): boolean => path === ":memory:" || path === ""

/** Opens and migrates the ledger database; closes it again if any step fails. Throws on failure. */
export const openLedgerDatabase = (path: string): Database.Database => {
  if (!isInMemory(path)) mkdirSync(dirname(path), { recursive: true })
  return openConfigured(path, {}, (db) => {
    db.pragma("journal_mode = WAL")
    db.pragma("synchronous = NORMAL")
    db.pragma("busy_timeout = 5000")
    db.pragma("foreign_keys = ON")
    migrate(db)
  })
}
