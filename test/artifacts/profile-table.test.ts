/**
 * The profile-table artifact's bytes: a chunk's rows written to a scratch file and copied in with
 * its `_chunks` row in one transaction (a failing chunk leaves neither); the codes file round-trips
 * every numeric column and refuses a file of another layout; the readers take every fact from the
 * descriptor.
 */
import { existsSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { BYTES_PER_PROFILE, generateChunk } from "../../src/domain/profile/index.js"
import { ensureChunkTables, readChunks, type SqliteDatabase } from "../../src/layers/sqlite/index.js"
import { Sqlite, SqliteLive } from "../../src/layers/sqlite/service.js"
import {
  codesRefOf,
  ProfileTable,
  profileChunkOfRow,
  readProfileCodes,
  rowOfProfileId
} from "../../src/artifacts/profile-table.js"
import { readCodesChunkSync, readCodesFileSync } from "../../src/artifacts/profile-table-codes.js"
import { fillRow, PROFILE_COLUMNS, profileChunkDigest } from "../../src/artifacts/profile-table-rows.js"
import { PROFILES_DDL, profileChunkAppender, writeProfileChunkFile } from "../../src/artifacts/profile-table-sql.js"
import { tempDir } from "../runtime/harness.js"
import { ROWS, writeCodesFixture } from "./codes-fixture.js"

const withDb = <A>(f: (db: SqliteDatabase) => A) =>
  Effect.gen(function* () {
    const sqlite = yield* Sqlite
    const db = yield* sqlite.open(join(tempDir("profile-table-"), "nested", "data.sqlite"))
    return f(db)
  }).pipe(Effect.scoped, Effect.provide(SqliteLive.layer))

const { chunks, descriptor } = writeCodesFixture("profile-codes-")

describe("profile table rows", () => {
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

})

describe("profile table codes file", () => {
  it("round-trips every numeric column", () => {
    const ref = codesRefOf(descriptor)
    const read = readCodesFileSync(ref)
    expect(read.map((c) => [c.chunk, c.firstId, c.count])).toEqual(chunks.map((c) => [c.chunk, c.firstId, c.count]))
    read.forEach((c, i) => {
      expect(Buffer.from(c.buffer).equals(Buffer.from(chunks[i]!.buffer))).toBe(true)
      expect(Array.from(c.textKey)).toEqual(Array.from(chunks[i]!.textKey))
      expect(Array.from(c.descriptionLength)).toEqual(chunks[i]!.description.map((d) => d.length))
    })
    const last = readCodesChunkSync(ref, 2)
    expect([last.chunk, last.firstId, last.count]).toEqual([2, 801, 200])
    expect(Buffer.from(last.buffer).equals(Buffer.from(chunks[2]!.buffer))).toBe(true)
    expect(() => readCodesChunkSync(ref, 3)).toThrow(/outside the 3 chunks/)
    expect(() => readCodesFileSync({ ...ref, rows: ROWS + 1 })).toThrow(/ends at byte/)
    expect(() => readCodesFileSync({ ...ref, bytesPerProfile: BYTES_PER_PROFILE - 1 })).toThrow(/rerun generate-profiles/)
  })

  it.effect("the descriptor's readers: codes from the file, chunks regenerated at the descriptor's chunk size", () =>
    Effect.gen(function* () {
      const codes = yield* readProfileCodes(descriptor)
      expect(codes.map((c) => c.count)).toEqual([400, 400, 200])
      const { chunk, index } = profileChunkOfRow(descriptor, 804)
      expect([chunk.chunk, chunk.firstId, index]).toEqual([2, 801, 4])
      expect(chunk.name[index]).toBe(chunks[2]!.name[4])
      expect(() => profileChunkOfRow(descriptor, ROWS)).toThrow(RangeError)
      expect([rowOfProfileId(descriptor, 1), rowOfProfileId(descriptor, ROWS), rowOfProfileId(descriptor, ROWS + 1), rowOfProfileId(descriptor, 0)]).toEqual([
        0,
        ROWS - 1,
        -1,
        -1
      ])
      const failed = yield* Effect.flip(readProfileCodes({ ...descriptor, rows: ROWS + 1 }))
      expect(failed._tag).toBe("StageError")
      expect(failed.message).toMatch(/cannot read profile codes/)
    })
  )

  it("the descriptor requires the chunk size and the codes file", () => {
    const decode = Schema.decodeUnknownEither(ProfileTable.schema)
    expect(decode(descriptor)._tag).toBe("Right")
    const { chunkSize: _chunkSize, ...withoutChunkSize } = descriptor
    expect(decode(withoutChunkSize)._tag).toBe("Left")
    const { codes: _codes, ...withoutCodes } = descriptor
    expect(decode(withoutCodes)._tag).toBe("Left")
  })
})
