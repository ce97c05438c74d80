/**
 * Exact k-nearest-neighbour search of a few queries over a whole matrix file, block by block: each
 * block of rows is read with a positioned read into a FAISS `IDMap,Flat` index (BLAS inner products
 * or L2), searched, and its best k merged into each query's running best k. Memory stays at one
 * block (64 MB at the default 131,072 x 128) instead of the whole matrix plus an index's copy of it
 * (1 GB at 1,000,000 x 128), and no index file is written: the match-eval baseline over random
 * embeddings needs exact neighbours of 200 origins, not a saved index.
 */
import { Effect } from "effect"
import { readVectorBlock } from "../../artifacts/vector-matrix-blocks.js"
import type { VectorMatrixDescriptor } from "../../artifacts/vector-matrix.js"
import { StageError } from "../../runtime/errors.js"
import { Faiss, type Metric, type SearchResult } from "../../services/faiss.js"

/** What exact search reads of a matrix's descriptor. */
export type MatrixFile = Pick<VectorMatrixDescriptor, "path" | "idsPath" | "rows" | "dim">

/** Whether candidate distance `a` is better than `b` under `metric`. */
const better = (metric: Metric) => (metric === "ip" ? (a: number, b: number) => a > b : (a: number, b: number) => a < b)

/** Keeps each query's best k of (its current k, a block's k), sorted best first; ties keep the smaller id. */
const mergeInto = (best: SearchResult, block: SearchResult, nq: number, metric: Metric): SearchResult => {
  const { k } = best
  const isBetter = better(metric)
  const distances = new Float32Array(nq * k)
  const labels = new BigInt64Array(nq * k).fill(-1n)
  for (let q = 0; q < nq; q++) {
    let i = 0
    let j = 0
    for (let out = 0; out < k; out++) {
      const li = i < k ? best.labels[q * k + i]! : -1n
      const lj = j < block.k ? block.labels[q * block.k + j]! : -1n
      if (li < 0n && lj < 0n) break
      const di = best.distances[q * k + i]!
      const dj = block.distances[q * block.k + j]!
      const takeBlock = li < 0n || (lj >= 0n && (isBetter(dj, di) || (dj === di && lj < li)))
      if (takeBlock) {
        distances[q * k + out] = dj
        labels[q * k + out] = lj
        j++
      } else {
        distances[q * k + out] = di
        labels[q * k + out] = li
        i++
      }
    }
  }
  return { distances, labels, k }
}

/** The exact best `k` neighbours of each query over the whole matrix (`blockRows` rows at a time). */
export const exactSearchMatrix = (matrix: MatrixFile, queries: Float32Array, k: number, metric: Metric, blockRows = 131_072) =>
  Effect.gen(function* () {
    const faiss = yield* Faiss
    const { dim, rows } = matrix
    const nq = queries.length / dim
    let best: SearchResult = { distances: new Float32Array(nq * k), labels: new BigInt64Array(nq * k).fill(-1n), k }
    for (let start = 0; start < rows; start += blockRows) {
      const count = Math.min(blockRows, rows - start)
      const { values: x, ids } = yield* readVectorBlock(matrix, start, count)
      const found = yield* Effect.scoped(
        Effect.gen(function* () {
          const index = yield* faiss.createIndex({ dim, factory: "IDMap,Flat", metric })
          yield* index.addWithIds(x, ids)
          return yield* index.search(queries, Math.min(k, count))
        })
      ).pipe(Effect.mapError(StageError.wrap(`exact search over ${matrix.path} failed`)))
      best = mergeInto(best, found, nq, metric)
    }
    return best
  })
