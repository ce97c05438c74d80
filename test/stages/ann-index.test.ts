/**
 * The ann-index kinds with the native FAISS backend on seeded unit-vector mixtures (x 32):
 * `auto` picks Flat below the threshold and IVF above it (a small `flatThreshold` keeps this fast),
 * both reach recall@10 >= 0.95 with profile ids as labels; the saved index reads back and gives the
 * recorded recall with the recorded parameters (the artifact's reader applies them); HNSW tunes efSearch; `ann-index-clustered` reuses
 * the kmeans centroids as the IVF coarse quantizer; and a tiny pipeline runs kmeans and both index
 * kinds through the real loader and scheduler.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { Faiss, FaissNative, FaissReference } from "../../src/layers/faiss/index.js"
import type { ArtifactOf } from "../../src/runtime/artifact.js"
import { makeRegistry } from "../../src/runtime/registry.js"
import { ArtifactStore } from "../../src/runtime/services/artifact-store.js"
import { defineStageKind, field } from "../../src/runtime/stage-kind.js"
import { annIndex, annIndexClustered } from "../../src/stages/profiles/ann-index.js"
import { readVectorIds, readVectors, VectorMatrix } from "../../src/artifacts/vector-matrix.js"
import { type AnnIndex, openAnnIndex, readAnnIndexTuning } from "../../src/artifacts/ann-index.js"
import { type ClusterAssignment, readAssignments } from "../../src/artifacts/cluster-assignment.js"
import { gatherRows, recallAtK, sampleRows } from "../../src/stages/profiles/faiss-metrics.js"
import { kmeans } from "../../src/stages/profiles/kmeans.js"
import { memoryLedger, outcomes, runPipelineWith, tempDir, writePipeline } from "../runtime/harness.js"
import { fixtureId, runKind, writeVectorMatrix, type VectorMatrixDescriptor } from "./profile-fixtures.js"

type Index = ArtifactOf<typeof AnnIndex>
type Clusters = ArtifactOf<typeof ClusterAssignment>

const DIM = 32
const root = tempDir("ann-index-test-")
let runs = 0
const workDir = () => {
  const dir = join(root, `stage-${++runs}`)
  mkdirSync(dir, { recursive: true })
  return dir
}

const buildIndex = (input: VectorMatrixDescriptor, config: Record<string, unknown>) =>
  runKind(annIndex, config, { embeddings: input }, root, workDir(), FaissNative).pipe(Effect.map((a) => a as Index))

/** Exact top 10 (as profile ids) of the kind's own query sample, and those queries. */
const exactTop10 = (input: VectorMatrixDescriptor, sample: number, seed: number) =>
  Effect.scoped(
    Effect.gen(function* () {
      const faiss = yield* Faiss
      const x = yield* readVectors(input)
      const ids = yield* readVectorIds(input)
      const queries = gatherRows(x, input.dim, sampleRows(input.rows, sample, seed))
      const flat = yield* faiss.createIndex({ dim: input.dim, factory: "Flat", metric: "ip" })
      yield* flat.add(x)
      const exact = yield* flat.search(queries, 10)
      return { queries, truth: exact.labels.map((row) => ids[Number(row)]!) }
    })
  )

/** Reads the saved index back, applies the recorded parameters, and measures recall@10. */
const recallOfSaved = (out: Index, input: VectorMatrixDescriptor) =>
  Effect.scoped(
    Effect.gen(function* () {
      const { queries, truth } = yield* exactTop10(input, 500, 42)
      // The artifact's reader applies the recorded search parameters.
      const index = yield* openAnnIndex(out)
      expect(yield* index.ntotal).toBe(input.rows)
      const first = yield* index.search(queries, 10)
      const again = yield* index.search(queries, 10)
      expect(Array.from(again.labels)).toEqual(Array.from(first.labels))
      const known = new Set(Array.from({ length: input.rows }, (_, i) => fixtureId(i)))
      for (const label of first.labels) expect(known.has(label)).toBe(true)
      return recallAtK(first.labels, truth, 10)
    })
  ).pipe(Effect.provide(FaissNative))

describe("ann-index kind", () => {
  it.live("auto below the threshold builds Flat: exact, ids stored, reads back", () =>
    Effect.gen(function* () {
      const input = writeVectorMatrix(root, 4000, DIM, 21)
      const out = yield* buildIndex(input, {})
      expect(out).toMatchObject({ kind: "ann-index", factory: "IDMap,Flat", metric: "ip", rows: 4000, dim: DIM, recallAt10: 1 })
      expect(out.searchParameters).toEqual({})
      expect(yield* recallOfSaved(out, input)).toBeGreaterThanOrEqual(0.99)
    })
  )

  it.live("auto above the threshold builds IVF and tunes nprobe to recall@10 >= 0.95; the saved index agrees", () =>
    Effect.gen(function* () {
      const input = writeVectorMatrix(root, 12_000, DIM, 22)
      const out = yield* buildIndex(input, { flatThreshold: 5000 })
      expect(out.factory).toBe("IVF512,Flat")
      expect(out.recallAt10).toBeGreaterThanOrEqual(0.95)
      expect(Object.keys(out.searchParameters)).toEqual(["nprobe"])
      expect(out.searchParameters["nprobe"]).toBeLessThan(512)
      const report = yield* readAnnIndexTuning(out)
      expect(report).toMatchObject({ rows: 12_000, dim: DIM, metric: "ip", targetRecall: 0.95, factory: out.factory, recallAt10: out.recallAt10 })
      // Doubling from 1: every step but the last fell short of the target.
      expect(report.tuning.map((s) => s.value)).toEqual(report.tuning.map((_, i) => 2 ** i))
      for (const step of report.tuning.slice(0, -1)) expect(step.recall).toBeLessThan(0.95)
      expect(yield* recallOfSaved(out, input)).toBe(out.recallAt10)
    })
  )

  it.live("nlist and a smaller training sample per list can be chosen", () =>
    Effect.gen(function* () {
      const input = writeVectorMatrix(root, 12_000, DIM, 28)
      const out = yield* buildIndex(input, { flatThreshold: 5000, nlist: 64, trainPointsPerList: 40 })
      expect(out.factory).toBe("IVF64,Flat")
      expect(out.recallAt10).toBeGreaterThanOrEqual(0.95)
      expect(yield* recallOfSaved(out, input)).toBe(out.recallAt10)
    })
  )

  it.live("HNSW32 when asked: tunes efSearch", () =>
    Effect.gen(function* () {
      const input = writeVectorMatrix(root, 3000, DIM, 23)
      const out = yield* buildIndex(input, { factory: "HNSW32", targetRecall: 0.97 })
      expect(out.factory).toBe("IDMap,HNSW32")
      expect(out.recallAt10).toBeGreaterThanOrEqual(0.97)
      expect(Object.keys(out.searchParameters)).toEqual(["efSearch"])
      expect(yield* recallOfSaved(out, input)).toBeGreaterThanOrEqual(0.95)
    })
  )

  it.live("ann-index-clustered uses the kmeans centroids as the IVF quantizer", () =>
    Effect.gen(function* () {
      const input = writeVectorMatrix(root, 8000, DIM, 24)
      const clusters = (yield* runKind(kmeans, { k: 64, niter: 10, nredo: 1 }, { embeddings: input }, root, workDir(), FaissNative)) as Clusters
      const out = (yield* runKind(
        annIndexClustered,
        {},
        { embeddings: input, clusters },
        root,
        workDir(),
        FaissNative
      )) as Index
      expect(out.factory).toBe("IVF64,Flat")
      expect(out.recallAt10).toBeGreaterThanOrEqual(0.95)
      // With nprobe 1 a query visits exactly one list; if the lists are the kmeans clusters, every
      // hit of a data row lies in that row's kmeans cluster.
      expect(clusters.spherical).toBe(true)
      const assignment = yield* readAssignments(clusters)
      const clusterOfId = new Map(Array.from(assignment, (c, row) => [fixtureId(row), c] as const))
      const x = yield* readVectors(input)
      const picks = sampleRows(input.rows, 200, 9)
      const hits = yield* Effect.scoped(
        Effect.gen(function* () {
          const faiss = yield* Faiss
          const index = yield* faiss.readIndex(out.path)
          yield* index.setParameter("nprobe", 1)
          return yield* index.search(gatherRows(x, DIM, picks), 5)
        })
      ).pipe(Effect.provide(FaissNative))
      let same = 0
      let total = 0
      picks.forEach((row, q) => {
        for (const label of hits.labels.subarray(q * 5, q * 5 + 5)) {
          if (label < 0n) continue
          total++
          if (clusterOfId.get(label) === assignment[row]) same++
        }
      })
      expect(total).toBeGreaterThan(0)
      expect(same / total).toBeGreaterThanOrEqual(0.99)
      // Its digest is made from the inputs, not the file: that is sound only if the file is a
      // function of them. Built again elsewhere: the same bytes and the same digest.
      const again = (yield* runKind(annIndexClustered, {}, { embeddings: input, clusters }, root, workDir(), FaissNative)) as Index
      expect(again.path).not.toBe(out.path)
      expect(again.digest).toBe(out.digest)
      expect(readFileSync(again.path).equals(readFileSync(out.path))).toBe(true)
    })
  )

  it.live("a missed recall target fails the stage, saying the best recall, where, and what to try", () =>
    Effect.gen(function* () {
      // 16-bit PQ codes (4 x 4 bits) over 32 dimensions cannot reach 0.99 at any nprobe.
      const input = writeVectorMatrix(root, 3000, DIM, 29)
      const error = yield* Effect.flip(buildIndex(input, { factory: "IVF16,PQ4x4", targetRecall: 0.99, sampleQueries: 200 }))
      expect(error._tag).toBe("StageError")
      expect(error).toMatchObject({ retryable: false })
      expect(error.message).toMatch(
        /^ann-index: recall@10 target 0\.99 not reached by IVF16,PQ4x4: best 0\.\d{3} at nprobe \d+ \(tried nprobe 1, 2, 4, 8, 16 on 200 sampled queries\); nprobe 16 already searches all 16 lists, so the loss is in the stored codes: .*; or set onMissedTarget: warn to accept the best found$/
      )
    })
  )

  it.live("with onMissedTarget: warn it succeeds, keeps the best step and records the warning", () =>
    Effect.gen(function* () {
      const input = writeVectorMatrix(root, 3000, DIM, 29)
      const out = yield* buildIndex(input, { factory: "IVF16,PQ4x4", targetRecall: 0.99, onMissedTarget: "warn" })
      const report = yield* readAnnIndexTuning(out)
      const bestRecall = Math.max(...report.tuning.map((s) => s.recall))
      const best = report.tuning.find((s) => s.recall === bestRecall)!
      expect(out.recallAt10).toBe(bestRecall)
      expect(out.recallAt10).toBeLessThan(0.99)
      expect(out.searchParameters).toEqual({ nprobe: best.value })
      expect(out.warning).toMatch(/^recall@10 target 0\.99 not reached by IVF16,PQ4x4: best 0\.\d{3} at nprobe \d+ .*; kept nprobe \d+ \(onMissedTarget: warn\)$/)
      expect(out.warning).toContain(`kept nprobe ${best.value}`)
      expect(report.warning).toBe(out.warning)
      // Read back, the index searches with the kept nprobe (same 500 queries as the stage's sample).
      expect(yield* recallOfSaved(out, input)).toBe(out.recallAt10)
    })
  )

  it.live("a factory with nothing to tune is measured, and can miss the target too", () =>
    Effect.gen(function* () {
      const input = writeVectorMatrix(root, 3000, DIM, 30)
      const error = yield* Effect.flip(buildIndex(input, { factory: "PQ4x4", targetRecall: 0.99, sampleQueries: 200 }))
      expect(error.message).toMatch(/^ann-index: recall@10 target 0\.99 not reached by IDMap,PQ4x4: best 0\.\d{3}; "IDMap,PQ4x4" has no search parameter to tune/)
      const out = yield* buildIndex(input, { factory: "PQ4x4", targetRecall: 0.99, sampleQueries: 200, onMissedTarget: "warn" })
      expect(out.recallAt10).toBeLessThan(0.99)
      expect(out.searchParameters).toEqual({})
      expect(out.warning).toContain("kept it (onMissedTarget: warn)")
    })
  )

  it.live("a reached target records no warning", () =>
    Effect.gen(function* () {
      const input = writeVectorMatrix(root, 1500, 16, 27)
      const out = (yield* runKind(annIndex, { flatThreshold: 1000 }, { embeddings: input }, root, workDir(), FaissReference)) as Index
      expect(out.warning).toBeUndefined()
      expect(readFileSync(join(out.path, "..", "index.json"), "utf8")).not.toContain("warning")
    })
  )

  it.live("runs on the reference backend too (exact for every factory: nprobe 1 already reaches the target)", () =>
    Effect.gen(function* () {
      const input = writeVectorMatrix(root, 1500, 16, 27)
      const out = (yield* runKind(annIndex, { flatThreshold: 1000 }, { embeddings: input }, root, workDir(), FaissReference)) as Index
      expect(out).toMatchObject({ factory: "IVF128,Flat", searchParameters: { nprobe: 1 }, recallAt10: 1 })
    })
  )

  it.live("a dimension or row mismatch between embeddings and clusters fails clearly", () =>
    Effect.gen(function* () {
      const a = writeVectorMatrix(root, 500, DIM, 25)
      const b = writeVectorMatrix(root, 400, DIM, 26)
      const clusters = (yield* runKind(kmeans, { k: 8, niter: 5, nredo: 1 }, { embeddings: b }, root, workDir(), FaissNative)) as Clusters
      const error = yield* Effect.flip(runKind(annIndexClustered, {}, { embeddings: a, clusters }, root, workDir(), FaissNative))
      expect(error._tag).toBe("StageError")
      expect(error.message).toContain("400 x 32")
      expect(error.message).toContain("500 x 32")
    })
  )
})

/** A test-only kind that writes a fixture VectorMatrix into its work directory. */
const testEmbeddings = defineStageKind({
  name: "test-embeddings",
  version: 1,
  description: "writes a seeded unit-vector mixture as a VectorMatrix (tests only)",
  config: Schema.Struct({
    rows: field(Schema.Int, 3000, "rows"),
    dim: field(Schema.Int, DIM, "dimension"),
    seed: field(Schema.Int, 1, "seed")
  }),
  inputs: {},
  output: VectorMatrix,
  run: ({ config, workDir }) =>
    Effect.gen(function* () {
      const store = yield* ArtifactStore
      const written = writeVectorMatrix(workDir, config.rows, config.dim, config.seed)
      const digest = yield* store.digestFile(written.path)
      return { ...written, digest }
    })
})

const findFiles = (dir: string, name: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? findFiles(join(dir, entry.name), name) : entry.name === name ? [join(dir, entry.name)] : []
  )

describe("kmeans and ann-index in a pipeline", () => {
  it.live("run through the real loader and scheduler, then reused on a second run", () =>
    Effect.gen(function* () {
      const dir = tempDir("ann-pipeline-")
      const file = writePipeline(
        dir,
        `
pipeline: ann
layers: { store: { dir: $OUT } }
stages:
  embeddings: { uses: test-embeddings, with: { rows: 6000, seed: 3 } }
  clusters: { uses: kmeans, needs: [embeddings], with: { k: auto, niter: 8, nredo: 1 } }
  index: { uses: ann-index, needs: [embeddings], with: { flatThreshold: 5000 } }
  index-clustered: { uses: ann-index-clustered, needs: [embeddings, clusters] }
`
      )
      const registry = makeRegistry([testEmbeddings, kmeans, annIndex, annIndexClustered])
      const ledger = memoryLedger()
      const first = yield* runPipelineWith(file, { ledger, registry, services: FaissNative, concurrency: 2 })
      expect(first.status).toBe("succeeded")
      expect(outcomes(first)).toEqual({ embeddings: "succeeded", clusters: "succeeded", index: "succeeded", "index-clustered": "succeeded" })
      const reports = findFiles(join(dir, "out"), "index.json").map(
        (p) => JSON.parse(readFileSync(p, "utf8")) as { factory: string; recallAt10: number }
      )
      expect(reports.map((r) => r.factory).sort()).toEqual(["IVF256,Flat", "IVF77,Flat"])
      for (const r of reports) expect(r.recallAt10).toBeGreaterThanOrEqual(0.95)
      const metrics = findFiles(join(dir, "out"), "metrics.json").map((p) => JSON.parse(readFileSync(p, "utf8")) as { k: number })
      expect(metrics.map((m) => m.k)).toEqual([77])
      const second = yield* runPipelineWith(file, { ledger, registry, services: FaissNative, concurrency: 2 })
      expect(Object.values(outcomes(second))).toEqual(["reused", "reused", "reused", "reused"])
    })
  )
})
