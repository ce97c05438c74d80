/**
 * The native binding and the TypeScript reference agree: exact search returns the same ids (ties
 * aside), k-means recovers well-separated blobs with both, and from the same initial centroids the
 * two reach objectives within 1 %.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Faiss, FaissNative, FaissReference, type Metric } from "../../../src/layers/faiss/index.js"
import { blobs, recoversBlobs, uniform } from "./data.js"

const backends = [
  ["native", FaissNative],
  ["reference", FaissReference]
] as const

const flatSearch = (metric: Metric, base: Float32Array, queries: Float32Array, d: number, k: number) =>
  Effect.scoped(
    Effect.gen(function* () {
      const faiss = yield* Faiss
      const index = yield* faiss.createIndex({ dim: d, factory: "Flat", metric })
      yield* index.add(base)
      return yield* index.search(queries, k)
    })
  )

describe("native and reference agree", () => {
  for (const metric of ["l2", "ip"] as const) {
    it.effect(`flat ${metric} search returns the same ids`, () =>
      Effect.gen(function* () {
        const d = 24
        const k = 10
        const base = uniform(3000, d, 1)
        const queries = uniform(50, d, 2)
        const native = yield* Effect.provide(flatSearch(metric, base, queries, d, k), FaissNative)
        const reference = yield* Effect.provide(flatSearch(metric, base, queries, d, k), FaissReference)
        let same = 0
        for (let i = 0; i < native.labels.length; i++) {
          if (native.labels[i] === reference.labels[i]) {
            same++
          } else {
            // A differing id is only acceptable as a tie: same distance within float tolerance.
            expect(native.distances[i]).toBeCloseTo(reference.distances[i]!, 4)
          }
          expect(Math.abs(native.distances[i]! - reference.distances[i]!)).toBeLessThan(1e-3 * (1 + Math.abs(reference.distances[i]!)))
        }
        expect(same / native.labels.length).toBeGreaterThan(0.99)
      })
    )
  }

  for (const [name, layer] of backends) {
    it.effect(`${name} k-means recovers well-separated blobs`, () =>
      Effect.gen(function* () {
        const faiss = yield* Faiss
        const { x, truth } = blobs(8, 100, 16, 3)
        const options = { d: 16, k: 8, niter: 20, nredo: 3, seed: 7, minPointsPerCentroid: 1, init: "kmeans++" } as const
        const result = yield* faiss.kmeans(x, options)
        expect(result.centroids.length).toBe(8 * 16)
        expect(result.objective.length).toBe(20 * 3)
        expect(recoversBlobs(result.assignment, truth, 8)).toBe(true)
        // Each point's reported distance is its squared distance to its own centroid.
        const c = result.assignment[5]!
        let dist = 0
        for (let j = 0; j < 16; j++) dist += (x[5 * 16 + j]! - result.centroids[c * 16 + j]!) ** 2
        expect(result.distance[5]).toBeCloseTo(dist, 4)
      }).pipe(Effect.provide(layer))
    )
  }

  it.effect("k-means objectives agree within 1 % from the same initial centroids", () =>
    Effect.gen(function* () {
      const d = 8
      const k = 12
      const x = uniform(4000, d, 11)
      const initCentroids = x.slice(0, k * d)
      const options = { d, k, niter: 15, initCentroids, minPointsPerCentroid: 1, maxPointsPerCentroid: 10_000 }
      const run = Effect.flatMap(Faiss, (f) => f.kmeans(x, options))
      const native = yield* Effect.provide(run, FaissNative)
      const reference = yield* Effect.provide(run, FaissReference)
      expect(native.objective.length).toBe(15)
      for (let i = 0; i < 15; i++) {
        expect(Math.abs(native.objective[i]! - reference.objective[i]!) / reference.objective[i]!).toBeLessThan(0.01)
      }
      // Objective never increases in Lloyd iterations (allow float noise).
      for (let i = 1; i < 15; i++) expect(native.objective[i]!).toBeLessThanOrEqual(native.objective[i - 1]! * 1.0001)
    })
  )

  it.effect("spherical k-means yields unit-norm centroids with both", () =>
    Effect.gen(function* () {
      const x = uniform(1000, 6, 5).map((v) => v - 0.5)
      for (const layer of [FaissNative, FaissReference]) {
        const r = yield* Effect.provide(
          Effect.flatMap(Faiss, (f) => f.kmeans(x, { d: 6, k: 5, niter: 5, spherical: true, minPointsPerCentroid: 1 })),
          layer
        )
        for (let c = 0; c < 5; c++) {
          let norm = 0
          for (let j = 0; j < 6; j++) norm += r.centroids[c * 6 + j]! ** 2
          expect(norm).toBeCloseTo(1, 4)
        }
      }
    })
  )
})
