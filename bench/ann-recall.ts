/**
 * `npm run bench -- ann-recall [--rows=N] [--dim=D] [--queries=Q]`: recall@10 against exact search
 * of IVF{defaultNlist(rows)},Flat and HNSW32 with the documented default search parameters
 * (src/layers/faiss/ann-defaults.ts), on uniform random vectors (the hard case: no structure).
 * Defaults: 100,000 x 64, 200 queries: the figures the defaults were chosen on (HNSW32's build is
 * about 40 s on 2 cores). test/layers/faiss/ann-recall.test.ts checks the same at 10,000 rows.
 * Prints figures only; nothing here passes or fails on time.
 */
import { Effect } from "effect"
import { defaultNlist, defaultSearchParameters, Faiss, FaissNative } from "../src/layers/faiss/index.js"
import { uniformSource } from "../src/domain/random/index.js"

const intArg = (args: ReadonlyArray<string>, name: string, fallback: number): number => {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
  const value = raw === undefined ? fallback : Number(raw.replace(/_/g, ""))
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer, got ${raw}`)
  return value
}

const uniform = (n: number, d: number, seed: number): Float32Array => {
  const r = uniformSource(seed)
  const x = new Float32Array(n * d)
  for (let i = 0; i < x.length; i++) x[i] = r()
  return x
}

/** Share of the exact k nearest neighbours found, over all queries. */
const recallAtK = (labels: BigInt64Array, truth: BigInt64Array, k: number): number => {
  let hits = 0
  for (let q = 0; q < truth.length / k; q++) {
    const want = new Set(truth.subarray(q * k, q * k + k))
    for (let j = 0; j < k; j++) if (want.has(labels[q * k + j]!)) hits++
  }
  return hits / truth.length
}

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`

export const main = async (args: ReadonlyArray<string>): Promise<void> => {
  const rows = intArg(args, "rows", 100_000)
  const dim = intArg(args, "dim", 64)
  const queries = intArg(args, "queries", 200)
  const k = 10
  console.log(`ann-recall: ${rows.toLocaleString("en")} x ${dim} uniform vectors, ${queries} queries, recall@${k} vs exact search`)
  await Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const faiss = yield* Faiss
        const x = uniform(rows, dim, 51)
        const q = uniform(queries, dim, 52)
        const flat = yield* faiss.createIndex({ dim, factory: "Flat", metric: "l2" })
        yield* flat.add(x)
        const truth = (yield* flat.search(q, k)).labels
        for (const factory of [`IVF${defaultNlist(rows)},Flat`, "HNSW32"]) {
          const index = yield* faiss.createIndex({ dim, factory, metric: "l2" })
          const built = performance.now()
          yield* index.train(x)
          yield* index.add(x)
          const buildTime = seconds(built)
          const searched = performance.now()
          const recall = recallAtK((yield* index.search(q, k)).labels, truth, k)
          const params = Object.entries(defaultSearchParameters(factory)).map(([name, value]) => `${name} ${value}`).join(", ")
          console.log(`  ${factory.padEnd(14)} ${params.padEnd(14)} recall@${k} ${recall.toFixed(3)}  build ${buildTime}, search ${seconds(searched)}`)
          yield* index.dispose
        }
      })
    ).pipe(Effect.provide(FaissNative))
  )
}
