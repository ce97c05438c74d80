/**
 * With the documented default search parameters (ann-defaults.ts), HNSW32 and IVF reach
 * recall@10 >= 0.95 against exact search on 100,000 x 64 uniform random vectors. The HNSW32
 * build is the slow part (about 40 s on 2 cores with Debian's FAISS).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { defaultNlist, Faiss, FaissNative } from "../../../src/layers/faiss/index.js"
import { recallAtK, uniform } from "./data.js"

const n = 100_000
const d = 64
const k = 10

describe("ANN recall with default parameters", () => {
  it.effect(
    "HNSW32 and IVF reach recall@10 >= 0.95 on 100k x 64",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const faiss = yield* Faiss
          const x = uniform(n, d, 51)
          const q = uniform(200, d, 52)
          const flat = yield* faiss.createIndex({ dim: d, factory: "Flat", metric: "l2" })
          yield* flat.add(x)
          const truth = (yield* flat.search(q, k)).labels

          const nlist = defaultNlist(n)
          expect(nlist).toBe(1024)
          for (const factory of [`IVF${nlist},Flat`, "HNSW32"]) {
            const index = yield* faiss.createIndex({ dim: d, factory, metric: "l2" })
            yield* index.train(x)
            yield* index.add(x)
            const recall = recallAtK((yield* index.search(q, k)).labels, truth, k)
            expect(recall, factory).toBeGreaterThanOrEqual(0.95)
            yield* index.dispose
          }
        })
      ).pipe(Effect.provide(FaissNative)),
    120_000
  )
})
