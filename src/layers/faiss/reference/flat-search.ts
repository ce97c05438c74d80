/**
 * Exact k-nearest-neighbour and range search over a row-major matrix, the ground truth the native
 * indexes are compared with. L2 distances are squared (as FAISS reports them); for inner product
 * larger is better. Missing neighbours are padded like FAISS: label -1, distance +/-FLT_MAX.
 */
import type { Metric, RangeSearchResult } from "../types.js"

const FLT_MAX = 3.4028234663852886e38

export const l2sq = (a: Float32Array, ai: number, b: Float32Array, bi: number, d: number): number => {
  let s = 0
  for (let j = 0; j < d; j++) {
    const t = a[ai + j]! - b[bi + j]!
    s += t * t
  }
  return s
}

export const dot = (a: Float32Array, ai: number, b: Float32Array, bi: number, d: number): number => {
  let s = 0
  for (let j = 0; j < d; j++) s += a[ai + j]! * b[bi + j]!
  return s
}

/** Score of base row `i` for query `q` under `metric` (distance for l2, similarity for ip). */
export const score = (metric: Metric, q: Float32Array, qi: number, base: Float32Array, bi: number, d: number) =>
  metric === "l2" ? l2sq(q, qi, base, bi, d) : dot(q, qi, base, bi, d)

export interface FlatSearchOut {
  readonly distances: Float32Array
  readonly positions: Int32Array
}

/** k best rows of `base` for each query; positions are row numbers (-1 when fewer than k rows). */
export const flatSearch = (
  metric: Metric,
  d: number,
  base: Float32Array,
  nb: number,
  queries: Float32Array,
  k: number
): FlatSearchOut => {
  const nq = queries.length / d
  const distances = new Float32Array(nq * k).fill(metric === "l2" ? FLT_MAX : -FLT_MAX)
  const positions = new Int32Array(nq * k).fill(-1)
  const better = metric === "l2" ? (a: number, b: number) => a < b : (a: number, b: number) => a > b
  const bestD = new Float64Array(k)
  const bestP = new Int32Array(k)
  for (let q = 0; q < nq; q++) {
    let count = 0
    for (let i = 0; i < nb; i++) {
      const s = score(metric, queries, q * d, base, i * d, d)
      if (count === k && !better(s, bestD[k - 1]!)) continue
      // Insertion into the sorted top-k (k is small).
      let pos = count < k ? count++ : k - 1
      while (pos > 0 && better(s, bestD[pos - 1]!)) {
        bestD[pos] = bestD[pos - 1]!
        bestP[pos] = bestP[pos - 1]!
        pos--
      }
      bestD[pos] = s
      bestP[pos] = i
    }
    for (let j = 0; j < count; j++) {
      distances[q * k + j] = bestD[j]!
      positions[q * k + j] = bestP[j]!
    }
  }
  return { distances, positions }
}

/** All rows within `radius` (l2: squared distance < radius; ip: inner product > radius). */
export const flatRangeSearch = (
  metric: Metric,
  d: number,
  base: Float32Array,
  nb: number,
  ids: BigInt64Array,
  queries: Float32Array,
  radius: number
): RangeSearchResult => {
  const nq = queries.length / d
  const lims = new Float64Array(nq + 1)
  const dist: Array<number> = []
  const labels: Array<bigint> = []
  for (let q = 0; q < nq; q++) {
    for (let i = 0; i < nb; i++) {
      const s = score(metric, queries, q * d, base, i * d, d)
      if (metric === "l2" ? s < radius : s > radius) {
        dist.push(s)
        labels.push(ids[i]!)
      }
    }
    lims[q + 1] = dist.length
  }
  return { lims, distances: Float32Array.from(dist), labels: BigInt64Array.from(labels) }
}
