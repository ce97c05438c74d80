/**
 * The synchronous body of a vector sink (see vector-sink.ts): one stage's vector output — the
 * matrix file, its ids file and the BLOB table — written chunk by chunk. It runs on the sink's own
 * thread (vector-sink-thread.ts), so the stage's SQLite inserts, commits and file writes leave the
 * main thread free for the other stages running at the same time.
 *
 * A chunk's matrix rows and ids are written with positioned writes first, then its BLOB rows and
 * `_chunks` row commit in one transaction (the chunk checkpoint): a chunk the database records is
 * complete in all three files, and a resumed stage rewrites the chunks it redoes in place.
 */
import { closeSync, fsyncSync } from "node:fs"
import { openSized, writeFully } from "../artifact-store/positioned-io.js"
import { finishBulkLoad, openDatabase } from "./open.js"
import { vectorChunkWriter } from "./vectors-table.js"

export interface VectorSinkSpec {
  /** SQLite file with the BLOB table (created if missing; `_chunks`/`_meta` already prepared). */
  readonly dbPath: string
  readonly table: string
  readonly dim: number
  /** Rows of the whole matrix: the matrix and ids files are sized for them up front. */
  readonly rows: number
  readonly matrixPath: string
  readonly idsPath: string
  /** SQLite page cache in MiB. */
  readonly cacheMiB: number
}

export interface VectorChunk {
  readonly chunk: number
  /** Matrix row of the chunk's first vector. */
  readonly firstRow: number
  /** Profile id of the chunk's first vector; row r has id firstId + r. */
  readonly firstId: number
  /** `rows * dim` floats, on a buffer of their own (it moves to the sink's thread). */
  readonly values: Float32Array<ArrayBuffer>
  /** sha256 of `values`' bytes when the producer computed it; else the sink does. */
  readonly digest: string | null
}

export interface VectorSinkCore {
  /** Writes one chunk everywhere and commits it; returns the chunk digest. */
  readonly write: (chunk: VectorChunk) => string
  /** Flushes the matrix and ids files to disk and turns the database to WAL mode (open.ts). */
  readonly finish: () => void
  /** Rolls back anything uncommitted, checkpoints the WAL and closes every file. Idempotent. */
  readonly close: () => void
}

export const openVectorSinkCore = (spec: VectorSinkSpec): VectorSinkCore => {
  const { dim } = spec
  const fds: Array<number> = []
  const db = openDatabase(spec.dbPath, { cacheMiB: spec.cacheMiB, bulkLoad: true })
  let closed = false
  const close = (): void => {
    if (closed) return
    closed = true
    for (const fd of fds) closeSync(fd)
    try {
      if (db.inTransaction) db.exec("ROLLBACK")
      db.pragma("wal_checkpoint(TRUNCATE)")
    } catch {
      // closing matters more than the checkpoint; SQLite recovers the WAL on the next open
    }
    db.close()
  }
  try {
    const insert = vectorChunkWriter(db, spec.table, dim)
    fds.push(openSized(spec.matrixPath, spec.rows * dim * 4))
    fds.push(openSized(spec.idsPath, spec.rows * 8))
    const [matrix, ids] = fds as [number, number]
    return {
      write: (c) => {
        const count = c.values.length / dim
        if (!Number.isInteger(count) || c.firstRow < 0 || c.firstRow + count > spec.rows) {
          throw new Error(`chunk ${c.chunk}: ${c.values.length} floats at row ${c.firstRow} do not fit ${spec.rows} x ${dim}`)
        }
        writeFully(matrix, new Uint8Array(c.values.buffer, c.values.byteOffset, c.values.byteLength), c.firstRow * dim * 4)
        const idValues = new BigInt64Array(count)
        for (let i = 0; i < count; i++) idValues[i] = BigInt(c.firstId + i)
        writeFully(ids, new Uint8Array(idValues.buffer), c.firstRow * 8)
        return insert(c.chunk, c.firstId, c.values, c.digest ?? undefined)
      },
      finish: () => {
        fsyncSync(matrix)
        fsyncSync(ids)
        finishBulkLoad(db)
      },
      close
    }
  } catch (error) {
    close()
    throw error
  }
}
