/**
 * An index written to a file or a buffer and read back answers searches exactly as before, with
 * both backends, and keeps its search parameters.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll } from "vitest"
import { Faiss, FaissNative, FaissReference } from "../../../src/layers/faiss/index.js"
import { uniform } from "./data.js"

const dir = mkdtempSync(join(tmpdir(), "faiss-io-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const cases: ReadonlyArray<readonly [string, string, Layer.Layer<Faiss, unknown>]> = [
  ["native", "IVF32,Flat", FaissNative],
  ["native", "HNSW16", FaissNative],
  ["native", "IDMap,Flat", FaissNative],
  ["reference", "IVF32,Flat", FaissReference]
]

describe("write and read back", () => {
  for (const [name, factory, layer] of cases) {
    it.effect(`${name} ${factory}: file and buffer round trips give identical results`, () =>
      Effect.scoped(
        Effect.gen(function* () {
          const faiss = yield* Faiss
          const d = 16
          const x = uniform(2000, d, 21)
          const q = uniform(40, d, 22)
          const index = yield* faiss.createIndex({ dim: d, factory, metric: "l2" })
          yield* index.train(x)
          const ids = BigInt64Array.from({ length: 2000 }, (_, i) => BigInt(i) * 1_000_003n + 2n ** 40n)
          if (factory.startsWith("IDMap") || factory.startsWith("IVF")) yield* index.addWithIds(x, ids)
          else yield* index.add(x)
          const before = yield* index.search(q, 5)

          const path = join(dir, `${name}-${factory.replace(/\W/g, "_")}.index`)
          yield* index.write(path)
          const fromFile = yield* faiss.readIndex(path)
          const bytes = yield* index.toBuffer
          const fromBuffer = yield* faiss.indexFromBuffer(bytes)

          for (const copy of [fromFile, fromBuffer]) {
            expect(yield* copy.ntotal).toBe(2000)
            expect(copy.dim).toBe(d)
            const after = yield* copy.search(q, 5)
            expect(after.labels).toEqual(before.labels)
            expect(after.distances).toEqual(before.distances)
          }
          if (factory !== "HNSW16") expect(before.labels.every((l) => l >= 2n ** 40n)).toBe(true)
        })
      ).pipe(Effect.provide(layer))
    )
  }
})
