/**
 * The WorkerPool: the threads pool (sizes 1 and 2) and the inline pool give byte-identical results
 * for the same task input whatever the order or concurrency; bad input fails as WorkerTaskError;
 * more tasks than workers all complete.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { WorkerPool } from "../../../src/layers/workers/service.js"
import type { GenerateChunkInput, GeneratedChunk } from "../../../src/layers/workers/tasks.js"
import { FEATURE_DIM } from "../../../src/domain/vectors/index.js"
import { poolLayer, type PoolChoice } from "./data-pipeline.js"

const input = (chunk: number): GenerateChunkInput => ({
  seed: 7,
  chunk,
  firstId: chunk * 500 + 1,
  count: 500,
  locale: "pt_BR",
  profiles: true,
  codes: null,
  rowsFile: null,
  features: true,
  embeddingDim: 24,
  embeddingMode: "attributes",
  embeddingSeed: 3
})

const bytes = (g: GeneratedChunk) => ({
  buffer: Buffer.from(g.profiles!.buffer).toString("base64"),
  names: g.profiles!.name.join("|"),
  descriptions: g.profiles!.description.join("|"),
  features: Buffer.from(g.features!.buffer, g.features!.byteOffset, g.features!.byteLength).toString("base64"),
  embeddings: Buffer.from(g.embeddings!.buffer, g.embeddings!.byteOffset, g.embeddings!.byteLength).toString("base64")
})

/** Six chunks submitted in reverse order, all at once. */
const runSix = (pool: PoolChoice) =>
  Effect.gen(function* () {
    const p = yield* WorkerPool
    const results = yield* Effect.forEach([5, 4, 3, 2, 1, 0], (c) => p.run("generate-chunk", input(c)), { concurrency: "unbounded" })
    return results.reverse()
  }).pipe(Effect.scoped, Effect.provide(poolLayer(pool)))

describe("WorkerPool", () => {
  it.live("threads (1 and 2) and inline give byte-identical chunks, features and embeddings", () =>
    Effect.gen(function* () {
      const inline = yield* runSix("inline")
      const one = yield* runSix(1)
      const two = yield* runSix(2)
      expect(inline.map((g) => g.chunk)).toEqual([0, 1, 2, 3, 4, 5])
      for (const g of two) {
        expect(g.features!.length).toBe(500 * FEATURE_DIM)
        expect(g.embeddings!.length).toBe(500 * 24)
        expect(g.profiles!.firstId).toBe(g.chunk * 500 + 1)
        expect(g.profiles!.age.buffer).toBe(g.profiles!.buffer)
      }
      expect(one.map(bytes)).toEqual(inline.map(bytes))
      expect(two.map(bytes)).toEqual(inline.map(bytes))
    })
  )

  it.live("vectors only: no profile columns come back", () =>
    Effect.gen(function* () {
      const p = yield* WorkerPool
      const g = yield* p.run("generate-chunk", { ...input(0), profiles: false })
      expect(g.profiles).toBeNull()
      expect(g.features).toBeInstanceOf(Float32Array)
    }).pipe(Effect.scoped, Effect.provide(poolLayer(2)))
  )

  it.live.each(["inline", 2] as const)("bad task input fails as WorkerTaskError (%s)", (pool) =>
    Effect.gen(function* () {
      const p = yield* WorkerPool
      const error = yield* Effect.flip(p.run("generate-chunk", { ...input(0), count: -1 }))
      expect(error._tag).toBe("WorkerTaskError")
      expect(error.task).toBe("generate-chunk")
      const bad = yield* Effect.flip(p.run("generate-chunk", { ...input(0), locale: "en_US" as "pt_BR" }))
      expect(bad.message).toMatch(/locale|pt_BR/)
      // The pool still works after failures.
      const ok = yield* p.run("generate-chunk", { ...input(1), count: 3 })
      expect(ok.count).toBe(3)
    }).pipe(Effect.scoped, Effect.provide(poolLayer(pool)))
  )

  it.live("size must be at least 1", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Effect.scoped(Effect.provide(WorkerPool, poolLayer(0))))
      expect(String((error as { message: string }).message)).toMatch(/size/)
    })
  )
})
