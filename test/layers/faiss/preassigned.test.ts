/**
 * An IVF index built from a k-means (its centroids as quantizer, its assignment as the lists) is
 * the index FAISS builds itself when trained on those centroids and left to assign: identical
 * search results, bytes and list contents. Misuse fails with a FaissError.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Faiss, FaissNative, FaissReference } from "../../../src/layers/faiss/index.js"
import { uniform } from "./data.js"

const d = 16
const n = 4000
const nlist = 32

const normalized = (x: Float32Array): Float32Array => {
  for (let i = 0; i < x.length; i += d) {
    let s = 0
    for (let j = 0; j < d; j++) s += x[i + j]! ** 2
    const inv = 1 / Math.sqrt(s)
    for (let j = 0; j < d; j++) x[i + j]! *= inv
  }
  return x
}

describe("IVF from a k-means (setCentroids, addWithIds with lists)", () => {
  it.effect("native: same index as train-on-centroids + quantizer assignment", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const faiss = yield* Faiss
        const x = normalized(uniform(n, d, 5).map((v) => v - 0.5))
        const ids = BigInt64Array.from({ length: n }, (_, i) => BigInt(i + 1))
        const km = yield* faiss.kmeans(x, { d, k: nlist, niter: 10, seed: 3, spherical: true })

        const reference = yield* faiss.createIndex({ dim: d, factory: `IVF${nlist},Flat`, metric: "ip" })
        yield* reference.train(km.centroids)
        yield* reference.addWithIds(x, ids)

        const built = yield* faiss.createIndex({ dim: d, factory: `IVF${nlist},Flat`, metric: "ip" })
        expect(yield* built.isTrained).toBe(false)
        yield* built.setCentroids(km.centroids)
        expect(yield* built.isTrained).toBe(true)
        yield* built.addWithIds(x, ids, km.assignment)
        expect(yield* built.ntotal).toBe(n)

        const q = normalized(uniform(50, d, 6).map((v) => v - 0.5))
        for (const nprobe of [1, 4]) {
          yield* reference.setParameter("nprobe", nprobe)
          yield* built.setParameter("nprobe", nprobe)
          const a = yield* reference.search(q, 10)
          const b = yield* built.search(q, 10)
          expect(b.labels).toEqual(a.labels)
          expect(b.distances).toEqual(a.distances)
        }
        expect(yield* built.toBuffer).toEqual(yield* reference.toBuffer)
      })
    ).pipe(Effect.provide(FaissNative))
  )

  for (const [name, layer] of [["native", FaissNative], ["reference", FaissReference]] as const) {
    it.effect(`${name}: misuse is a FaissError`, () =>
      Effect.scoped(
        Effect.gen(function* () {
          const faiss = yield* Faiss
          const x = uniform(100, d, 7)
          const ids = BigInt64Array.from({ length: 100 }, (_, i) => BigInt(i))
          const flat = yield* faiss.createIndex({ dim: d, factory: "IDMap,Flat", metric: "l2" })
          expect((yield* Effect.flip(flat.setCentroids(uniform(4, d, 8)))).reason).toBe("invalid-argument")
          expect((yield* Effect.flip(flat.addWithIds(x, ids, new Int32Array(100)))).reason).toBe("invalid-argument")

          const ivf = yield* faiss.createIndex({ dim: d, factory: "IVF4,Flat", metric: "l2" })
          expect((yield* Effect.flip(ivf.setCentroids(uniform(3, d, 8)))).reason).toBe("dimension")
          yield* ivf.setCentroids(uniform(4, d, 8))
          expect((yield* Effect.flip(ivf.addWithIds(x, ids, new Int32Array(99)))).reason).toBe("dimension")
          const outside = new Int32Array(100)
          outside[42] = 4
          const error = yield* Effect.flip(ivf.addWithIds(x, ids, outside))
          expect(error.reason).toBe("invalid-argument")
          expect(error.message).toContain("vector 42")
          expect(yield* ivf.ntotal).toBe(0)
          yield* ivf.addWithIds(x, ids, new Int32Array(100).fill(3))
          expect(yield* ivf.ntotal).toBe(100)
          expect((yield* Effect.flip(ivf.setCentroids(uniform(4, d, 8)))).reason).toBe("invalid-argument")
        })
      ).pipe(Effect.provide(layer))
    )
  }
})
