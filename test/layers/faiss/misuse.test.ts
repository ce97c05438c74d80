/**
 * Every misuse is a FaissError with its reason, never a crash: after all of them the process is
 * still here and the backend still works. Run against both backends where the misuse applies.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, type Layer } from "effect"
import { Faiss, FaissNative, FaissReference, type FaissErrorReason } from "../../../src/layers/faiss/index.js"
import { uniform } from "./data.js"

const failsWith = <A, R>(effect: Effect.Effect<A, unknown, R>, reason: FaissErrorReason) =>
  Effect.gen(function* () {
    const exit = yield* Effect.exit(effect)
    expect(Exit.isFailure(exit), `expected a ${reason} failure`).toBe(true)
    if (Exit.isFailure(exit)) {
      const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
      expect(error, `expected a ${reason} failure`).toMatchObject({ _tag: "FaissError", reason })
    }
  })

const backends: ReadonlyArray<readonly [string, Layer.Layer<Faiss, unknown>]> = [
  ["native", FaissNative],
  ["reference", FaissReference]
]

describe("misuse raises FaissError", () => {
  for (const [name, layer] of backends) {
    it.effect(`${name}: each misuse fails with its reason and the backend keeps working`, () =>
      Effect.scoped(
        Effect.gen(function* () {
          const faiss = yield* Faiss
          const d = 8
          const x = uniform(500, d, 31)
          const flat = yield* faiss.createIndex({ dim: d, factory: "Flat", metric: "l2" })
          yield* flat.add(x)

          // wrong dimension / length not a multiple of d
          yield* failsWith(flat.search(new Float32Array(d + 3), 1), "dimension")
          yield* failsWith(flat.add(new Float32Array(5)), "dimension")
          yield* failsWith(faiss.kmeans(x, { d: 7, k: 3 }), "dimension")
          yield* failsWith(faiss.kmeans(x, { d, k: 2, initCentroids: new Float32Array(3) }), "dimension")
          // k larger than n
          yield* failsWith(faiss.kmeans(x, { d, k: 501 }), "invalid-argument")
          // NaN / Inf in the input
          const bad = x.slice(0, 10 * d)
          bad[17] = Number.NaN
          yield* failsWith(flat.search(bad, 3), "not-finite")
          bad[17] = Number.POSITIVE_INFINITY
          yield* failsWith(faiss.kmeans(bad, { d, k: 2 }), "not-finite")
          yield* failsWith(flat.add(bad), "not-finite")
          // untrained IVF
          const ivf = yield* faiss.createIndex({ dim: d, factory: "IVF8,Flat", metric: "l2" })
          expect(yield* ivf.isTrained).toBe(false)
          yield* failsWith(ivf.add(x), "not-trained")
          yield* failsWith(ivf.search(x.subarray(0, d), 1), "not-trained")
          // unknown factory string
          yield* failsWith(faiss.createIndex({ dim: d, factory: "NoSuchIndex42", metric: "l2" }), "invalid-argument")
          // parameter that does not apply; bad k
          yield* failsWith(flat.setParameter("nprobe", 4), "invalid-argument")
          yield* failsWith(flat.search(x.subarray(0, d), 0), "invalid-argument")
          // unreadable file / buffer
          yield* failsWith(faiss.readIndex("/nonexistent/dir/x.index"), "io")
          yield* failsWith(faiss.indexFromBuffer(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])), "io")
          // use after dispose
          const gone = yield* faiss.createIndex({ dim: d, factory: "Flat", metric: "ip" })
          yield* gone.dispose
          yield* gone.dispose // idempotent
          yield* failsWith(gone.search(x.subarray(0, d), 1), "disposed")
          yield* failsWith(gone.ntotal, "disposed")
          yield* failsWith(gone.add(x), "disposed")

          // Still alive and working.
          const r = yield* flat.search(x.subarray(0, d), 1)
          expect(r.labels[0]).toBe(0n)
        })
      ).pipe(Effect.provide(layer))
    )
  }

  it.effect("native: a call that conflicts with one in flight is rejected as busy, never raced", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const faiss = yield* Faiss
        const d = 32
        const x = uniform(40_000, d, 41)
        const index = yield* faiss.createIndex({ dim: d, factory: "Flat", metric: "l2" })
        yield* index.add(x)
        // A long search holds the index (shared); add and reset need it to themselves.
        const search = yield* Effect.fork(index.search(x.subarray(0, 2000 * d), 10))
        yield* Effect.yieldNow() // let the fiber start the native call
        yield* failsWith(index.add(x), "busy")
        yield* failsWith(index.reset, "busy")
        // Searches may overlap.
        const other = yield* index.search(x.subarray(0, d), 1)
        expect(other.labels[0]).toBe(0n)
        const result = yield* search
        expect(result.labels.length).toBe(2000 * 10)
        // Disposing while an op runs defers the free to the op's end and never crashes.
        const late = index.search(x.subarray(0, 500 * d), 10)
        const fiber = yield* Effect.fork(late)
        yield* Effect.yieldNow()
        yield* index.dispose
        const exit = yield* fiber.await
        expect(Exit.isSuccess(exit)).toBe(true)
        yield* failsWith(index.search(x.subarray(0, d), 1), "disposed")
      })
    ).pipe(Effect.provide(FaissNative))
  )
})
