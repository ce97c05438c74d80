/**
 * The profile data stages through the real loader and scheduler: the same seed gives the same
 * profiles digest, feature matrix and embedding digests with the inline pool and with 1 and 2
 * worker threads; and the persisted data checks out (row counts, contiguous ids, BLOB sizes equal
 * to dim * 4 and equal to the matrix rows, unit-norm embeddings read back from BLOBs).
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import Database from "better-sqlite3"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { FEATURE_DIM } from "../../src/domain/vectors/index.js"
import { memoryLedger, outcomes, tempDir } from "../runtime/harness.js"
import { artifactOf, runData, writeDataPipeline, type PoolChoice } from "../layers/workers/data-pipeline.js"

interface Matrix {
  readonly path: string
  readonly idsPath: string
  readonly dbPath: string
  readonly table: string
  readonly rows: number
  readonly dim: number
  readonly digest: string
  readonly content: string
  readonly normalized: boolean
}
interface Table {
  readonly path: string
  readonly rows: number
  readonly digest: string
}

const COUNT = 5_000
const DIM = 24

const runWith = (pool: PoolChoice) =>
  Effect.gen(function* () {
    const dir = tempDir(`data-det-${pool}-`)
    const file = writeDataPipeline(dir, { count: COUNT, chunkSize: 700, seed: 11, dim: DIM })
    const ledger = memoryLedger()
    const report = yield* runData(file, ledger, pool)
    expect(report.status).toBe("succeeded")
    expect(outcomes(report)).toEqual({ profiles: "succeeded", vectors: "succeeded", embeddings: "succeeded" })
    return {
      profiles: yield* artifactOf<Table>(ledger, "profiles", join(dir, "out")),
      vectors: yield* artifactOf<Matrix>(ledger, "vectors", join(dir, "out")),
      embeddings: yield* artifactOf<Matrix>(ledger, "embeddings", join(dir, "out"))
    }
  })

describe("profile data stages", () => {
  it.live("same digests with the inline pool and 1 or 2 worker threads; data checks", () =>
    Effect.gen(function* () {
      const inline = yield* runWith("inline")
      const one = yield* runWith(1)
      const two = yield* runWith(2)
      for (const run of [one, two]) {
        expect(run.profiles.digest).toBe(inline.profiles.digest)
        expect(run.vectors.digest).toBe(inline.vectors.digest)
        expect(run.embeddings.digest).toBe(inline.embeddings.digest)
      }
      expect(readFileSync(two.embeddings.path).equals(readFileSync(inline.embeddings.path))).toBe(true)
      expect(two.vectors).toMatchObject({ rows: COUNT, dim: FEATURE_DIM, content: "features", normalized: false, table: "feature_vectors" })
      expect(two.embeddings).toMatchObject({ rows: COUNT, dim: DIM, content: "embeddings:attributes", normalized: true, table: "embeddings" })

      const db = new Database(two.profiles.path, { readonly: true })
      const stats = db.prepare("SELECT count(*) AS n, count(DISTINCT id) AS d, min(id) AS lo, max(id) AS hi FROM profiles").get()
      expect(stats).toEqual({ n: COUNT, d: COUNT, lo: 1, hi: COUNT })
      expect(db.prepare("SELECT count(*) AS n, sum(rows) AS r FROM _chunks").get()).toEqual({ n: Math.ceil(COUNT / 700), r: COUNT })
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'profiles'").all()
      expect(indexes.length).toBeGreaterThanOrEqual(2)
      const row = db.prepare("SELECT * FROM profiles WHERE id = 1").get() as Record<string, unknown>
      expect(Object.keys(row)).toContain("communication_style")
      db.close()

      for (const m of [two.vectors, two.embeddings]) {
        const vdb = new Database(m.dbPath, { readonly: true })
        const blobs = vdb.prepare(`SELECT id, vector FROM ${m.table} ORDER BY id`).all() as Array<{ id: number; vector: Buffer }>
        vdb.close()
        expect(blobs.length).toBe(COUNT)
        const matrix = readFileSync(m.path)
        const ids = new BigInt64Array(new Uint8Array(readFileSync(m.idsPath)).buffer)
        expect(matrix.length).toBe(COUNT * m.dim * 4)
        blobs.forEach((b, i) => {
          expect(b.id).toBe(i + 1)
          expect(ids[i]).toBe(BigInt(i + 1))
          expect(b.vector.length).toBe(m.dim * 4)
          if (i % 97 === 0) expect(b.vector.equals(matrix.subarray(i * m.dim * 4, (i + 1) * m.dim * 4))).toBe(true)
          if (m.normalized) {
            const v = new Float32Array(new Uint8Array(b.vector).buffer)
            let s = 0
            for (const x of v) s += x * x
            expect(Math.abs(Math.sqrt(s) - 1)).toBeLessThan(1e-5)
          }
        })
      }
    })
  )

  it.live("a different seed gives different digests; seed-random mode differs from attributes", () =>
    Effect.gen(function* () {
      const dir = tempDir("data-seed-")
      const file = writeDataPipeline(dir, { count: 1_500, chunkSize: 500, seed: 12, dim: DIM, mode: "seed-random" })
      const ledger = memoryLedger()
      const report = yield* runData(file, ledger, "inline")
      expect(report.status).toBe("succeeded")
      const base = yield* runWith("inline").pipe(Effect.map((r) => r.profiles.digest))
      const profiles = yield* artifactOf<Table>(ledger, "profiles", join(dir, "out"))
      const emb = yield* artifactOf<Matrix>(ledger, "embeddings", join(dir, "out"))
      expect(profiles.digest).not.toBe(base)
      expect(emb.content).toBe("embeddings:seed-random")
    })
  )
})
