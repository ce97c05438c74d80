/**
 * Where a chunked SQLite output resumes; shared by the data stages. Data made with other settings
 * (its `_meta` differs) is dropped; `_chunks` rows and table rows past the unbroken committed prefix
 * are deleted (defensive: a chunk's rows and its `_chunks` row commit in one transaction); chunks
 * SQLite holds but the runtime's Checkpoint does not (e.g. a lost ledger) are mirrored to it; and
 * progress starts at the resume point. Returns the first chunk still to do.
 */
import { Effect } from "effect"
import { committedPrefix, ensureChunkTables, readChunks, readMeta, writeMeta } from "../../layers/sqlite/chunks-table.js"
import type { SqliteDatabase } from "../../layers/sqlite/open.js"
import { sqliteTry } from "../../layers/sqlite/service.js"
import { Checkpoint } from "../../runtime/services/checkpoint.js"
import { StageProgress } from "../../runtime/services/progress.js"

export interface ChunkedTable {
  readonly db: SqliteDatabase
  /** The database file, for error messages. */
  readonly path: string
  readonly table: string
  /** `CREATE TABLE IF NOT EXISTS` of `table`. */
  readonly ddl: string
  /** Settings the data depends on; stored in `_meta` and compared on the next start. */
  readonly meta: Readonly<Record<string, string>>
  readonly rows: number
  readonly chunkSize: number
  /** Progress unit, e.g. `profiles`. */
  readonly unit: string
}

export const resumeChunkedTable = (t: ChunkedTable) =>
  Effect.gen(function* () {
    const checkpoint = yield* Checkpoint
    const progress = yield* StageProgress
    const chunks = Math.ceil(t.rows / t.chunkSize)
    const resumeAt = yield* sqliteTry(t.path, `cannot prepare the ${t.table} table`, () => {
      ensureChunkTables(t.db)
      const old = readMeta(t.db)
      if (old.size > 0 && !Object.entries(t.meta).every(([k, v]) => old.get(k) === v)) {
        // Another config's data (the work dir is per cache key, so only by hand): start over.
        t.db.exec(`DROP TABLE IF EXISTS ${t.table}; DELETE FROM _chunks; DELETE FROM _meta`)
      }
      t.db.exec(t.ddl)
      writeMeta(t.db, t.meta)
      const k = Math.min(committedPrefix(readChunks(t.db)), chunks)
      t.db.transaction(() => {
        t.db.prepare("DELETE FROM _chunks WHERE chunk >= ?").run(k)
        t.db.prepare(`DELETE FROM ${t.table} WHERE id > ?`).run(Math.min(k * t.chunkSize, t.rows))
      })()
      return k
    })

    const known = yield* checkpoint.committed
    for (const row of yield* sqliteTry(t.path, "cannot read _chunks", () => readChunks(t.db))) {
      if (!known.has(row.chunk)) yield* checkpoint.commit(row)
    }

    yield* progress.setTotal(t.rows, t.unit)
    if (resumeAt > 0) {
      yield* progress.advance(Math.min(resumeAt * t.chunkSize, t.rows))
      yield* progress.message(`resuming at chunk ${resumeAt} of ${chunks}`)
    }
    return resumeAt
  })
