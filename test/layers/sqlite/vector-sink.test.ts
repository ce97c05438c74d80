/**
 * The vector sink: a thread of its own that writes a vector stage's matrix file, ids file and BLOB
 * rows chunk by chunk (the stages' tests cover it inside pipelines; this checks it alone).
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { ensureChunkTables, openDatabase, readChunks } from "../../../src/layers/sqlite/index.js"
import { Sqlite, SqliteLive } from "../../../src/layers/sqlite/service.js"
import { tempDir } from "../../runtime/harness.js"

const DIM = 4

const specIn = (dir: string) => {
  const dbPath = join(dir, "vectors.sqlite")
  const db = openDatabase(dbPath, { bulkLoad: true })
  ensureChunkTables(db)
  db.close()
  return { dbPath, table: "vectors", dim: DIM, rows: 5, matrixPath: join(dir, "vectors.f32"), idsPath: join(dir, "vectors.ids.i64"), cacheMiB: 8 }
}

const floats = (n: number, from: number) => Float32Array.from({ length: n * DIM }, (_, i) => from + i / 4)

describe("vector sink", () => {
  it.live("writes matrix rows, ids and BLOB rows with their _chunks row; the file ends in WAL mode", () =>
    Effect.gen(function* () {
      const spec = specIn(tempDir("vector-sink-"))
      yield* Effect.scoped(
        Effect.gen(function* () {
          const sink = yield* (yield* Sqlite).openVectorSink(spec)
          // Chunks may come in any order: each lands at its rows.
          const second = yield* sink.write({ chunk: 1, firstRow: 3, firstId: 104, values: floats(2, 30), digest: null })
          expect(second).toMatch(/^[0-9a-f]{64}$/)
          yield* sink.write({ chunk: 0, firstRow: 0, firstId: 101, values: floats(3, 0), digest: "given" })
          yield* sink.finish
        })
      ).pipe(Effect.provide(SqliteLive.layer))
      const matrix = new Float32Array(new Uint8Array(readFileSync(spec.matrixPath)).buffer)
      expect(Array.from(matrix.subarray(0, 3 * DIM))).toEqual(Array.from(floats(3, 0)))
      expect(Array.from(matrix.subarray(3 * DIM))).toEqual(Array.from(floats(2, 30)))
      expect(Array.from(new BigInt64Array(new Uint8Array(readFileSync(spec.idsPath)).buffer))).toEqual([101n, 102n, 103n, 104n, 105n])
      const db = new Database(spec.dbPath, { readonly: true })
      try {
        expect(db.pragma("journal_mode", { simple: true })).toBe("wal")
        const rows = db.prepare("SELECT id, vector FROM vectors ORDER BY id").all() as Array<{ id: number; vector: Buffer }>
        expect(rows.map((r) => r.id)).toEqual([101, 102, 103, 104, 105])
        expect(rows[4]!.vector.readFloatLE(12)).toBe(30 + 7 / 4)
        expect(readChunks(db).map((c) => [c.chunk, c.rows, c.digest === "given"])).toEqual([
          [0, 3, true],
          [1, 2, false]
        ])
      } finally {
        db.close()
      }
    })
  )

  it.live("a chunk that does not fit fails with a SqliteError, and the sink then refuses further writes", () =>
    Effect.gen(function* () {
      const spec = specIn(tempDir("vector-sink-bad-"))
      const [bad, after] = yield* Effect.scoped(
        Effect.gen(function* () {
          const sink = yield* (yield* Sqlite).openVectorSink(spec)
          const bad = yield* Effect.flip(sink.write({ chunk: 0, firstRow: 4, firstId: 1, values: floats(2, 0), digest: null }))
          const after = yield* Effect.flip(sink.write({ chunk: 0, firstRow: 0, firstId: 1, values: floats(1, 0), digest: null }))
          return [bad, after] as const
        })
      ).pipe(Effect.provide(SqliteLive.layer))
      expect(bad._tag).toBe("SqliteError")
      expect(bad.message).toMatch(/do not fit 5 x 4/)
      expect(after.message).toMatch(/an earlier request failed/)
      const db = new Database(spec.dbPath, { readonly: true })
      try {
        expect(readChunks(db)).toEqual([])
      } finally {
        db.close()
      }
    })
  )
})
