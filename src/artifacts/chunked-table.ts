/**
 * The machinery shared by the artifacts written chunk by chunk into a SQLite table (profile tables,
 * vector BLOB tables): where such a table resumes, the pipelined chunk loop, and the table's digest.
 *
 * Resume: data made with other settings (its `_meta` differs) is dropped; `_chunks` rows and table
 * rows past the unbroken committed prefix are deleted (defensive: a chunk's rows and its `_chunks`
 * row commit in one transaction); chunks SQLite holds but the runtime's Checkpoint does not (e.g. a
 * lost ledger) are mirrored to it; and progress starts at the resume point.
 */
import { Effect, Fiber } from "effect"
import {
  chunkListDigest,
  committedPrefix,
  ensureChunkTables,
  readChunks,
  readMeta,
  writeMeta
} from "../layers/sqlite/chunks-table.js"
import type { SqliteDatabase } from "../layers/sqlite/open.js"
import type { SqliteError } from "../layers/sqlite/errors.js"
import { sqliteTry } from "../layers/sqlite/service.js"
import { StageError } from "../runtime/errors.js"
import { Checkpoint } from "../runtime/services/checkpoint.js"
import { StageProgress } from "../runtime/services/progress.js"

/** A SQLite failure of a chunked table, as the stage's (non-retryable) error. */
export const fromSqlite = (e: SqliteError): StageError => StageError.fatal(e.message, e)

/** How `rows` rows split into chunks of `chunkSize`: how many, and the rows of chunk `c` (the last is shorter). */
export const chunkLayout = (rows: number, chunkSize: number) => ({
  chunks: Math.ceil(rows / chunkSize),
  rowsOf: (c: number): number => Math.min(chunkSize, rows - c * chunkSize)
})

/** A chunked table being (re)started. */
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

/** Prepares the table for (re)starting and returns the first chunk still to do. */
export const resumeChunkedTable = (t: ChunkedTable) =>
  Effect.gen(function* () {
    const checkpoint = yield* Checkpoint
    const progress = yield* StageProgress
    const { chunks } = chunkLayout(t.rows, t.chunkSize)
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

/**
 * The pipelined chunk loop: chunks are produced concurrently (on the WorkerPool) up to `window`
 * ahead, and consumed strictly in chunk order on the calling fiber (SQLite and file writes), so
 * producing the next chunks overlaps with writing this one. If the loop fails or is interrupted,
 * the chunks still in flight are interrupted with it.
 */
export const orderedChunks = <A, E1, E2, R1, R2>(
  chunks: ReadonlyArray<number>,
  window: number,
  produce: (chunk: number) => Effect.Effect<A, E1, R1>,
  consume: (chunk: number, value: A) => Effect.Effect<void, E2, R2>
): Effect.Effect<void, E1 | E2, R1 | R2> =>
  Effect.gen(function* () {
    const inFlight: Array<Fiber.RuntimeFiber<A, E1>> = []
    let next = 0
    const fill = Effect.gen(function* () {
      while (next < chunks.length && inFlight.length < window) {
        inFlight.push(yield* Effect.fork(produce(chunks[next] as number)))
        next++
      }
    })
    yield* fill
    for (let i = 0; i < chunks.length; i++) {
      const fiber = inFlight.shift() as Fiber.RuntimeFiber<A, E1>
      const value = yield* Fiber.join(fiber)
      yield* fill
      yield* consume(chunks[i] as number, value)
    }
  }).pipe(Effect.scoped)

/**
 * The digest of a finished chunked table: sha256 over `header` and its committed chunk digests in
 * chunk order (chunks-table.ts), after checking that all `chunks` are committed. Identical for any
 * worker count and after a resume.
 */
export const committedDigest = (db: SqliteDatabase, path: string, chunks: number, header: string) =>
  sqliteTry(path, "cannot read _chunks", () => readChunks(db)).pipe(
    Effect.mapError(StageError.wrap(`cannot finish ${path}`)),
    Effect.flatMap((rows) =>
      rows.length === chunks
        ? Effect.succeed(chunkListDigest(header, rows))
        : Effect.fail(StageError.fatal(`${path}: expected ${chunks} committed chunks, found ${rows.length}`))
    )
  )
