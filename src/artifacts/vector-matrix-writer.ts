/**
 * Writing a vector matrix (vector-matrix.ts says the format): `<workDir>/<name>.f32`, its ids file
 * `<name>.ids.i64` and the BLOB table `<table>` in `<name>.sqlite`, chunk by chunk.
 *
 * The caller produces each chunk's vectors (on the WorkerPool: vector-matrix-writer-tasks.ts), up
 * to `window` chunks ahead; the writer hands them in chunk order to a vector sink (a thread of its
 * own, layers/sqlite/vector-sink.ts: it writes them into the preallocated matrix and ids files,
 * then inserts them as BLOB rows together with the chunk's `_chunks` row in one SQLite
 * transaction), then mirrors the checkpoint. A resumed run continues after the committed chunks
 * (chunked-table.ts); `_meta` records what the vectors were made from.
 *
 * Digest: sha256 over a header (`<content> <rows>x<dim>`) and the committed chunk digests (each the
 * sha256 of the chunk's float bytes): it identifies the matrix as well as hashing the whole file
 * again would, without reading it back.
 */
import { join } from "node:path"
import { Effect } from "effect"
import { Sqlite } from "../services/sqlite.js"
import { vectorTableDdl } from "../layers/sqlite/vectors-table.js"
import { type LedgerError, StageError } from "../runtime/errors.js"
import { Checkpoint } from "../runtime/services/checkpoint.js"
import { StageProgress } from "../runtime/services/progress.js"
import { chunkLayout, committedDigest, fromSqlite, orderedChunks, resumeChunkedTable } from "./chunked-table.js"
import type { VectorMatrixDescriptor } from "./vector-matrix.js"

/** What matrix to write. */
export interface VectorMatrixSpec {
  /** The stage's work directory; the files go here. */
  readonly workDir: string
  /** Base name of the files: `<name>.f32`, `<name>.ids.i64`, `<name>.sqlite`. */
  readonly name: string
  readonly table: string
  readonly rows: number
  readonly dim: number
  /** Rows per chunk (and checkpoint). */
  readonly chunkSize: number
  /** Id of row 0: row r has id firstId + r. */
  readonly firstId: number
  /** What the vectors are (`features`, `embeddings:attributes`...): the descriptor's `content`. */
  readonly content: string
  readonly normalized: boolean
  /**
   * What the vectors were made from (e.g. `{ profiles: <digest> }`), stored in `_meta` with the
   * content, dim and chunk size; a restart over other data starts from scratch.
   */
  readonly source: Readonly<Record<string, string>>
  /** Chunks produced ahead of the one being written. */
  readonly window: number
}

/** One chunk to produce. */
export interface VectorChunkSlot {
  readonly chunk: number
  /** Matrix row of the chunk's first vector. */
  readonly firstRow: number
  readonly count: number
}

/** A produced chunk: `count * dim` floats on an ArrayBuffer of their own (it moves to the sink thread). */
export interface VectorChunkValues {
  readonly values: Float32Array<ArrayBuffer>
  /** sha256 of `values`' bytes when the producer computed it (null: the sink does). */
  readonly digest: string | null
}

/** Writes (or resumes) the matrix, producing each missing chunk with `produce`. */
export const writeVectorMatrix = <E, R>(
  spec: VectorMatrixSpec,
  produce: (slot: VectorChunkSlot) => Effect.Effect<VectorChunkValues, E, R>
): Effect.Effect<VectorMatrixDescriptor, StageError | LedgerError | E, R | Sqlite | Checkpoint | StageProgress> =>
  Effect.gen(function* () {
    const sqlite = yield* Sqlite
    const checkpoint = yield* Checkpoint
    const progress = yield* StageProgress
    const { rows, dim, chunkSize } = spec
    const { chunks, rowsOf } = chunkLayout(rows, chunkSize)
    const path = join(spec.workDir, `${spec.name}.f32`)
    const idsPath = join(spec.workDir, `${spec.name}.ids.i64`)
    const dbPath = join(spec.workDir, `${spec.name}.sqlite`)
    const meta = { ...spec.source, content: spec.content, dim: String(dim), chunk_size: String(chunkSize) }

    // Resume on a connection of our own, closed before the sink's thread opens the file.
    const resumeAt = yield* Effect.scoped(
      Effect.flatMap(sqlite.open(dbPath, { cacheMiB: 8, bulkLoad: true }), (db) =>
        resumeChunkedTable({ db, path: dbPath, table: spec.table, ddl: vectorTableDdl(spec.table), meta, rows, chunkSize, unit: "rows" })
      )
    ).pipe(Effect.mapError((e) => (e._tag === "SqliteError" ? fromSqlite(e) : e)))
    const sink = yield* sqlite
      .openVectorSink({ dbPath, table: spec.table, dim, rows, matrixPath: path, idsPath, cacheMiB: 64 })
      .pipe(Effect.mapError(fromSqlite))
    const todo = Array.from({ length: chunks - resumeAt }, (_, i) => resumeAt + i)
    yield* orderedChunks(
      todo,
      spec.window,
      (c) => produce({ chunk: c, firstRow: c * chunkSize, count: rowsOf(c) }),
      (c, made) =>
        Effect.gen(function* () {
          const count = rowsOf(c)
          if (made.values.length !== count * dim) {
            return yield* StageError.fatal(`chunk ${c} came back with ${made.values.length} ${spec.content} floats, expected ${count * dim}`)
          }
          const firstRow = c * chunkSize
          const digest = yield* sink
            .write({ chunk: c, firstRow, firstId: spec.firstId + firstRow, values: made.values, digest: made.digest })
            .pipe(Effect.mapError(fromSqlite))
          yield* checkpoint.commit({ chunk: c, rows: count, digest })
          yield* progress.advance(count)
        })
    )
    yield* sink.finish.pipe(Effect.mapError(fromSqlite))
    const digest = yield* Effect.scoped(
      Effect.flatMap(sqlite.open(dbPath, { readonly: true, cacheMiB: 8 }).pipe(Effect.mapError(fromSqlite)), (db) =>
        committedDigest(db, dbPath, chunks, `${spec.content} ${rows}x${dim}`)
      )
    )
    return {
      kind: "vector-matrix" as const,
      path,
      idsPath,
      rows,
      dim,
      dbPath,
      table: spec.table,
      content: spec.content,
      normalized: spec.normalized,
      digest
    }
  }).pipe(Effect.scoped)
