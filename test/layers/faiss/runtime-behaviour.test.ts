/**
 * How the binding behaves inside a Node process: heavy calls leave the event loop free, inputs are
 * copied once (so that JS detaching their buffer mid-call cannot free what FAISS reads) and never more, and native indexes are freed by the scopes that own them.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Scope } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { Faiss, FaissNative } from "../../../src/layers/faiss/index.js"
import { uniform } from "./data.js"

/** Peak resident set size (VmHWM) since the last reset, in bytes. */
const peakRss = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))![1]) * 1024
/** Resets VmHWM to the current RSS (Linux: write 5 to clear_refs). */
const resetPeak = () => writeFileSync("/proc/self/clear_refs", "5")

describe("runtime behaviour of the native layer", () => {
  it.effect("a long k-means does not block the event loop", () =>
    Effect.gen(function* () {
      const faiss = yield* Faiss
      const x = uniform(100_000, 32, 61)
      let ticks = 0
      let ticksWhileRunning = 0
      let running = true
      const timer = setInterval(() => {
        ticks++
        if (running) ticksWhileRunning++
      }, 5)
      const result = yield* faiss.kmeans(x, { d: 32, k: 200, niter: 20, maxPointsPerCentroid: 500 })
      running = false
      clearInterval(timer)
      expect(result.objective.length).toBe(20)
      expect(ticksWhileRunning).toBeGreaterThanOrEqual(5)
      expect(ticks).toBe(ticksWhileRunning)
    }).pipe(Effect.provide(FaissNative))
  )

  it.effect("a large input is copied once, never more", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const faiss = yield* Faiss
        const d = 64
        const rows = 1_000_000
        const queries = uniform(rows, d, 71) // 256 MB, resident before the call
        const index = yield* faiss.createIndex({ dim: d, factory: "Flat", metric: "l2" })
        yield* index.add(uniform(8, d, 72))
        resetPeak()
        const base = peakRss()
        const result = yield* index.search(queries, 1)
        const growth = peakRss() - base
        expect(result.labels.length).toBe(rows)
        // Outputs are 12 bytes a row (12 MB) and the input's copy 256 MB; a second copy would add 256 MB more.
        expect(growth).toBeLessThan(queries.byteLength * 1.25)
        resetPeak()
        const base2 = peakRss()
        yield* faiss.kmeans(queries, { d, k: 16, niter: 2, maxPointsPerCentroid: 256 })
        expect(peakRss() - base2).toBeLessThan(queries.byteLength * 1.25)
      })
    ).pipe(Effect.provide(FaissNative))
  )

  it.effect("indexes are disposed by their scope, and leftovers by the layer's scope", () =>
    Effect.gen(function* () {
      const outer = yield* Scope.make()
      const [scoped, leftover] = yield* Effect.gen(function* () {
        const faiss = yield* Faiss
        const a = yield* Effect.scoped(
          Effect.tap(faiss.createIndex({ dim: 4, factory: "Flat", metric: "l2" }), (i) => i.add(new Float32Array(8)))
        )
        expect(Exit.isFailure(yield* Effect.exit(a.ntotal))).toBe(true) // its scope closed
        const b = yield* Scope.extend(faiss.createIndex({ dim: 4, factory: "Flat", metric: "l2" }), outer)
        expect(yield* b.ntotal).toBe(0)
        return [a, b] as const
      }).pipe(Effect.provide(FaissNative))
      // The layer's scope has closed: b, though its own scope is still open, was freed with it.
      const exit = yield* Effect.exit(leftover.ntotal)
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error.reason).toBe("disposed")
      expect(Exit.isFailure(yield* Effect.exit(scoped.search(new Float32Array(4), 1)))).toBe(true)
      yield* Scope.close(outer, Exit.void)
    })
  )

  it.effect("the layer applies and restores the thread count", () =>
    Effect.gen(function* () {
      const before = yield* Effect.provide(Effect.flatMap(Faiss, (f) => f.getThreads), FaissNative)
      const inside = yield* Effect.provide(
        Effect.flatMap(Faiss, (f) => f.getThreads),
        Faiss.layerFromSettings({ device: "cpu", threads: 1 })
      )
      expect(inside).toBe(1)
      const after = yield* Effect.provide(Effect.flatMap(Faiss, (f) => f.getThreads), FaissNative)
      expect(after).toBe(before)
      expect(Layer.isLayer(FaissNative)).toBe(true)
    })
  )
})
