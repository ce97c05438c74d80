/**
 * `_chunks(chunk INTEGER PRIMARY KEY, rows INTEGER, digest TEXT)`: the chunks whose rows are
 * committed, written IN THE SAME TRANSACTION as those rows, so a chunk is either fully in the
 * database and recorded or absent: the atomic chunk checkpoint. `_meta(key, value)` records what the
 * data was made from (seed, locale, chunk size...) so a reader can regenerate or check it.
 */
import { createHash } from "node:crypto"
import { Schema } from "effect"
import type { SqliteDatabase } from "./open.js"

export const CHUNKS_DDL = `CREATE TABLE IF NOT EXISTS _chunks (
  chunk INTEGER PRIMARY KEY,
  rows INTEGER NOT NULL,
  digest TEXT NOT NULL
)`
export const META_DDL = `CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`

export const ChunkRow = Schema.Struct({ chunk: Schema.Int, rows: Schema.Int, digest: Schema.String })
export type ChunkRow = typeof ChunkRow.Type
const decodeChunkRows = Schema.decodeUnknownSync(Schema.Array(ChunkRow))
const MetaRows = Schema.Array(Schema.Struct({ key: Schema.String, value: Schema.String }))
const decodeMetaRows = Schema.decodeUnknownSync(MetaRows)

export const ensureChunkTables = (db: SqliteDatabase): void => {
  db.exec(CHUNKS_DDL)
  db.exec(META_DDL)
}

/** Committed chunks in chunk order. */
export const readChunks = (db: SqliteDatabase): ReadonlyArray<ChunkRow> =>
  decodeChunkRows(db.prepare("SELECT chunk, rows, digest FROM _chunks ORDER BY chunk").all())

/** Number of chunks 0..k-1 that are all committed (chunks are written in order). */
export const committedPrefix = (chunks: ReadonlyArray<ChunkRow>): number => {
  let k = 0
  for (const row of chunks) {
    if (row.chunk !== k) break
    k++
  }
  return k
}

/** Prepared insert of a `_chunks` row; call inside the chunk's transaction. */
export const chunkInserter = (db: SqliteDatabase) => {
  const statement = db.prepare("INSERT INTO _chunks (chunk, rows, digest) VALUES (?, ?, ?)")
  return (row: ChunkRow): void => {
    statement.run(row.chunk, row.rows, row.digest)
  }
}

/**
 * One digest for a chunked output: sha256 over a header line (what the data is) and the chunk
 * digests, one per line, in chunk order. Identical for any worker count and after a resume.
 */
export const chunkListDigest = (header: string, chunks: ReadonlyArray<ChunkRow>): string => {
  const hash = createHash("sha256")
  if (header !== "") hash.update(`${header}\n`)
  for (const row of chunks) hash.update(`${row.digest}\n`)
  return hash.digest("hex")
}

export const readMeta = (db: SqliteDatabase): ReadonlyMap<string, string> =>
  new Map(decodeMetaRows(db.prepare("SELECT key, value FROM _meta").all()).map((r) => [r.key, r.value]))

export const writeMeta = (db: SqliteDatabase, meta: Readonly<Record<string, string>>): void => {
  const statement = db.prepare("INSERT OR REPLACE INTO _meta (key, value) VALUES (?, ?)")
  db.transaction(() => {
    for (const [key, value] of Object.entries(meta)) statement.run(key, value)
  })()
}
