/**
 * The `kmeans` kind on a seeded 6,000 x 32 unit-vector mixture with the native FAISS backend:
 * every row assigned, k clusters, sizes sum to rows, the clusters table matches the assignments
 * file, `k: auto`, k larger than the rows fails clearly, and the same seed gives the same
 * assignments file byte for byte. One case uses FaissReference to show the kind is backend-agnostic.
 */
import { createHash } from "node:crypto"
import { mkdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import Database from "better-sqlite3"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Cause, Option } from "effect"
import { FaissNative, FaissReference } from "../../src/layers/faiss/index.js"
import type { ArtifactOf } from "../../src/runtime/artifact.js"
import { type ClusterAssignment, readAssignments, readCentroids, readClusterMetrics } from "../../src/artifacts/cluster-assignment.js"
import { kmeans } from "../../src/stages/profiles/kmeans.js"
import { tempDir } from "../runtime/harness.js"
import { fixtureId, runKind, writeVectorMatrix } from "./profile-fixtures.js"

type Clusters = ArtifactOf<typeof ClusterAssignment>

const ROWS = 6000
const DIM = 32
const root = tempDir("kmeans-test-")
const embeddings = writeVectorMatrix(root, ROWS, DIM, 11)

let runs = 0
const run = (config: Record<string, unknown>, layer = FaissNative, input = embeddings) => {
  const workDir = join(root, `stage-${++runs}`)
  mkdirSync(workDir, { recursive: true })
  return runKind(kmeans, config, { embeddings: input }, root, workDir, layer).pipe(Effect.map((a) => a as Clusters))
}

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex")

describe("kmeans kind", () => {
  it.live("assigns every row to one of k clusters and writes table, centroids, assignments and metrics", () =>
    Effect.gen(function* () {
      const out = yield* run({ k: 24, niter: 10, nredo: 2 })
      expect(out).toMatchObject({ kind: "cluster-assignment", k: 24, rows: ROWS, dim: DIM, table: "clusters", spherical: true })
      expect(readFileSync(out.centroidsPath).byteLength).toBe(24 * DIM * 4)
      expect((yield* readCentroids(out)).length).toBe(24 * DIM)
      const assignment = yield* readAssignments(out)
      const sizes = new Array<number>(24).fill(0)
      for (const c of assignment) {
        expect(c).toBeGreaterThanOrEqual(0)
        expect(c).toBeLessThan(24)
        sizes[c]! += 1
      }
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(ROWS)
      expect(new Set(assignment).size).toBe(24)

      const db = new Database(out.dbPath, { readonly: true })
      try {
        const count = db.prepare("SELECT count(*) AS n, count(DISTINCT cluster_id) AS k FROM clusters").get() as { n: number; k: number }
        expect(count).toEqual({ n: ROWS, k: 24 })
        const rows = db.prepare("SELECT id, cluster_id, distance FROM clusters WHERE id IN (?, ?, ?)").all(
          fixtureId(0),
          fixtureId(1),
          fixtureId(ROWS - 1)
        ) as Array<{ id: number; cluster_id: number; distance: number }>
        const byId = new Map(rows.map((r) => [BigInt(r.id), r]))
        for (const row of [0, 1, ROWS - 1]) {
          const r = byId.get(fixtureId(row))
          expect(r?.cluster_id).toBe(assignment[row])
          expect(r?.distance).toBeGreaterThanOrEqual(0)
          expect(r?.distance).toBeLessThanOrEqual(4)
        }
        const perCluster = db.prepare("SELECT cluster_id, count(*) AS n FROM clusters GROUP BY cluster_id").all() as Array<{
          cluster_id: number
          n: number
        }>
        for (const { cluster_id, n } of perCluster) expect(n).toBe(sizes[cluster_id])
      } finally {
        db.close()
      }

      const metrics = yield* readClusterMetrics(out)
      expect(metrics.objective).toHaveLength(10 * 2)
      expect(metrics.clusterSizes).toEqual(sizes)
      expect(metrics.clusterSize.min).toBe(Math.min(...sizes))
      expect(metrics.clusterSize.max).toBe(Math.max(...sizes))
      expect(metrics.spherical).toBe(true)
      expect(metrics.silhouette.sample).toBe(2000)
      // 24 well-separated blobs clustered with k = 24: clearly positive.
      expect(metrics.silhouette.value).toBeGreaterThan(0.2)
      expect(metrics.silhouette.value).toBeLessThanOrEqual(1)
    })
  )

  it.live("k: auto is floor(sqrt(rows))", () =>
    Effect.gen(function* () {
      const out = yield* run({ k: "auto", niter: 5, nredo: 1 })
      expect(out.k).toBe(Math.floor(Math.sqrt(ROWS)))
      const assignment = yield* readAssignments(out)
      expect(Math.max(...assignment)).toBeLessThan(out.k)
    })
  )

  it.live("k larger than the rows fails with a non-retryable StageError naming both numbers", () =>
    Effect.gen(function* () {
      const small = writeVectorMatrix(root, 50, 8, 3)
      const exit = yield* Effect.exit(run({ k: 60 }, FaissNative, small))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        const error = Option.getOrThrow(Cause.failureOption(exit.cause))
        expect(error._tag).toBe("StageError")
        expect(error).toMatchObject({ retryable: false })
        expect(error.message).toContain("60")
        expect(error.message).toContain("50 rows")
      }
    })
  )

  it.live("the same seed gives byte-identical assignments and centroids files and the same digest", () =>
    Effect.gen(function* () {
      const config = { k: 40, niter: 8, nredo: 2, seed: 5 }
      const a = yield* run(config)
      const b = yield* run(config)
      expect(sha(a.assignmentsPath)).toBe(sha(b.assignmentsPath))
      expect(sha(a.centroidsPath)).toBe(sha(b.centroidsPath))
      expect(a.digest).toBe(b.digest)
    })
  )

  it.live("a matrix file whose size does not match rows x dim fails clearly", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(run({ k: 4 }, FaissNative, { ...embeddings, rows: ROWS + 1 }))
      expect(error._tag).toBe("StageError")
      expect(error.message).toContain(`${ROWS * DIM * 4} bytes, expected ${(ROWS + 1) * DIM * 4}`)
    })
  )

  it.live("runs on the reference backend too (tiny data)", () =>
    Effect.gen(function* () {
      const tiny = writeVectorMatrix(root, 300, 8, 4, 5)
      const out = yield* run({ k: 5, niter: 10, nredo: 1, init: "kmeans++" }, FaissReference, tiny)
      const assignment = yield* readAssignments(out)
      expect(assignment.length).toBe(300)
      expect(new Set(assignment).size).toBe(5)
    })
  )
})
