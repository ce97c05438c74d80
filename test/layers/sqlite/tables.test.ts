/**
 * The Sqlite data layer: pragmas on open, vector BLOB rows of dim * 4 little-endian bytes, and the
 * committed-prefix rule used to resume. (The profiles table's chunk path is the profile-table
 * artifact's: test/artifacts/profile-table.test.ts.)
 */
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { committedPrefix, ensureChunkTables, readChunks, vectorChunkWriter, type SqliteDatabase } from "../../../src/layers/sqlite/index.js"
import { Sqlite, SqliteLive } from "../../../src/layers/sqlite/service.js"
import { tempDir } from "../../runtime/harness.js"

const withDb = <A>(f: (db: SqliteDatabase) => A) =>
  Effect.gen(function* () {
    const sqlite = yield* Sqlite
    const db = yield* sqlite.open(join(tempDir("sqlite-data-"), "nested", "data.sqlite"))
    return f(db)
  }).pipe(Effect.scoped, Effect.provide(SqliteLive.layer))

describe("Sqlite data tables", () => {
  it.live("opens with WAL, synchronous=NORMAL, temp_store=MEMORY and a sized cache", () =>
    withDb((db) => {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal")
      expect(db.pragma("synchronous", { simple: true })).toBe(1)
      expect(db.pragma("temp_store", { simple: true })).toBe(2)
      expect(db.pragma("cache_size", { simple: true })).toBe(-64 * 1024)
      expect(db.pragma("page_size", { simple: true })).toBe(16384)
    })
  )

  it.live("vector BLOBs are dim * 4 little-endian float32 bytes", () =>
    withDb((db) => {
      ensureChunkTables(db)
      const write = vectorChunkWriter(db, "embeddings", 4)
      const values = Float32Array.from({ length: 12 }, (_, i) => i / 8)
      write(0, 10, values)
      const rows = db.prepare("SELECT id, vector FROM embeddings ORDER BY id").all() as Array<{ id: number; vector: Buffer }>
      expect(rows.map((r) => r.id)).toEqual([10, 11, 12])
      expect(rows.map((r) => r.vector.length)).toEqual([16, 16, 16])
      expect(rows[1]!.vector.readFloatLE(4)).toBe(5 / 8)
      expect(readChunks(db)).toHaveLength(1)
    })
  )

  it("the committed prefix stops at the first missing chunk", () => {
    const row = (chunk: number) => ({ chunk, rows: 1, digest: "x" })
    expect(committedPrefix([])).toBe(0)
    expect(committedPrefix([row(0), row(1), row(2)])).toBe(3)
    expect(committedPrefix([row(0), row(2)])).toBe(1)
    expect(committedPrefix([row(1)])).toBe(0)
  })
})

