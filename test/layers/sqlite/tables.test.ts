/**
 * The Sqlite data layer: pragmas on open, the profiles chunk path (a chunk's rows written to a
 * scratch file, then copied in with its `_chunks` row in one transaction: a failing chunk leaves
 * neither), vector BLOB rows of dim * 4 little-endian bytes,
 * and the committed-prefix rule used to resume.
 */
import { existsSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { generateChunk } from "../../../src/domain/profile/index.js"
import {
  committedPrefix,
  ensureChunkTables,
  PROFILES_DDL,
  PROFILE_COLUMNS,
  profileChunkAppender,
  profileChunkDigest,
  readChunks,
  vectorChunkWriter,
  writeProfileChunkFile,
  type SqliteDatabase
} from "../../../src/layers/sqlite/index.js"
import { fillRow } from "../../../src/layers/sqlite/profile-rows.js"
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

  it.live("a profile chunk file is copied in with its _chunks row; a failing chunk leaves neither", () =>
    withDb((db) => {
      ensureChunkTables(db)
      db.exec(PROFILES_DDL)
      const append = profileChunkAppender(db)
      const dir = tempDir("sqlite-chunks-")
      const first = generateChunk(1, 0, 1, 120, "pt_BR")
      const firstFile = join(dir, "chunk-0.sqlite")
      writeProfileChunkFile(firstFile, first)
      const digest = profileChunkDigest(first)
      append(firstFile, 0, 120, digest)
      expect(existsSync(firstFile)).toBe(false)
      expect(readChunks(db)).toEqual([{ chunk: 0, rows: 120, digest }])
      // Same ids again (chunk 1 claiming ids 1..): the primary key fails mid-transaction.
      const clashFile = join(dir, "chunk-1.sqlite")
      writeProfileChunkFile(clashFile, generateChunk(1, 1, 1, 120, "pt_BR"))
      expect(() => append(clashFile, 1, 120, "x")).toThrow()
      expect(db.prepare("SELECT count(*) AS n FROM profiles").get()).toEqual({ n: 120 })
      expect(readChunks(db).map((c) => c.chunk)).toEqual([0])
      // A file with fewer rows than the chunk claims is refused, and nothing of it stays.
      const shortFile = join(dir, "chunk-2.sqlite")
      writeProfileChunkFile(shortFile, generateChunk(1, 2, 121, 50, "pt_BR"))
      expect(() => append(shortFile, 1, 120, "y")).toThrow(/holds 50 rows, expected 120/)
      expect(db.prepare("SELECT count(*) AS n FROM profiles").get()).toEqual({ n: 120 })
      const row = db.prepare("SELECT * FROM profiles WHERE id = 7").get() as Record<string, string>
      expect(row["music_genres"]!.split(", ").length).toBe(new Set(row["music_genres"]!.split(", ")).size)
      expect(row["name"]).toBe(first.name[6])
      expect(row["description"]).toBe(first.description[6])
      // The copy is the rows as written: every column of every row.
      const rows = db.prepare(`SELECT ${PROFILE_COLUMNS.join(", ")} FROM profiles ORDER BY id`).raw().all() as Array<Array<unknown>>
      expect(rows).toHaveLength(120)
      rows.forEach((values, i) => {
        const expected = new Array<unknown>(PROFILE_COLUMNS.length)
        fillRow(first, i, expected, 0)
        expect(values).toEqual(expected)
      })
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

