/**
 * Vector BLOB tables, the seed's layout: `<table>(id INTEGER PRIMARY KEY, vector BLOB NOT NULL)`,
 * each BLOB the row's `dim` float32 values, raw little-endian (dim * 4 bytes, no header). A chunk's
 * rows and its `_chunks` row go in one transaction.
 */
import { createHash } from "node:crypto"
import { endianness } from "node:os"
import { chunkInserter } from "./chunks-table.js"
import type { SqliteDatabase } from "./open.js"

/** Rows per multi-row INSERT: fewer statement calls (measured ~15% less time than one row per call). */
const ROWS_PER_STATEMENT = 100

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

export const vectorTableDdl = (table: string): string => {
  if (!IDENTIFIER.test(table)) throw new Error(`bad table name '${table}'`)
  return `CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY, vector BLOB NOT NULL)`
}

/**
 * Prepares `write(chunk, firstId, values, digest?)`: inserts rows firstId.. of `dim` floats each
 * from `values` plus the `_chunks` row, in one transaction; returns the chunk digest (sha256 of the
 * chunk's raw float32 bytes; computed here unless the worker that made `values` passes it).
 */
export const vectorChunkWriter = (db: SqliteDatabase, table: string, dim: number) => {
  if (endianness() !== "LE") throw new Error("vector BLOBs are little-endian float32; this machine is big-endian")
  db.exec(vectorTableDdl(table))
  const insert = db.prepare(`INSERT INTO ${table} (id, vector) VALUES (?, ?)`)
  const insertMany = db.prepare(`INSERT INTO ${table} (id, vector) VALUES ${Array.from({ length: ROWS_PER_STATEMENT }, () => "(?, ?)").join(",")}`)
  const batch = new Array<unknown>(2 * ROWS_PER_STATEMENT)
  const insertChunk = chunkInserter(db)
  const rowBytes = dim * 4
  const transaction = db.transaction((chunk: number, firstId: number, values: Float32Array, given?: string): string => {
    const rows = values.length / dim
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength)
    const full = rows - (rows % ROWS_PER_STATEMENT)
    for (let i = 0; i < full; i += ROWS_PER_STATEMENT) {
      for (let r = 0; r < ROWS_PER_STATEMENT; r++) {
        batch[2 * r] = firstId + i + r
        batch[2 * r + 1] = bytes.subarray((i + r) * rowBytes, (i + r + 1) * rowBytes)
      }
      insertMany.run(batch)
    }
    for (let i = full; i < rows; i++) insert.run(firstId + i, bytes.subarray(i * rowBytes, (i + 1) * rowBytes))
    const digest = given ?? createHash("sha256").update(bytes).digest("hex")
    insertChunk({ chunk, rows, digest })
    return digest
  })
  return (chunk: number, firstId: number, values: Float32Array, digest?: string): string =>
    transaction(chunk, firstId, values, digest)
}
