/**
 * Pure helpers the kmeans and ann-index kinds share: seeded sampling, squared distances, cluster
 * size statistics, a simplified silhouette, and recall@k. No Effect, no FAISS: plain typed arrays.
 */

import { forChunk } from "../../domain/random/index.js"

/** `count` distinct row indices out of `rows` (all rows, in order, when count >= rows), sorted. */
export const sampleRows = (rows: number, count: number, seed: number): Int32Array => {
  if (count >= rows) return Int32Array.from({ length: rows }, (_, i) => i)
  // Partial Fisher-Yates over a virtual identity permutation.
  const random = forChunk(seed, 0)
  const swapped = new Map<number, number>()
  const out = new Int32Array(count)
  for (let i = 0; i < count; i++) {
    const j = i + random.below(rows - i)
    const vj = swapped.get(j) ?? j
    const vi = swapped.get(i) ?? i
    swapped.set(j, vi)
    out[i] = vj
  }
  return out.sort()
}

/** The rows `picks` of a `dim`-wide matrix, as a new contiguous matrix. */
export const gatherRows = (x: Float32Array, dim: number, picks: Int32Array): Float32Array => {
  const out = new Float32Array(picks.length * dim)
  for (let i = 0; i < picks.length; i++) {
    const r = picks[i]!
    out.set(x.subarray(r * dim, r * dim + dim), i * dim)
  }
  return out
}

export const squaredL2 = (a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, dim: number): number => {
  let s = 0
  for (let j = 0; j < dim; j++) {
    const t = a[aOffset + j]! - b[bOffset + j]!
    s += t * t
  }
  return s
}

/** Squared L2 distance of every row to the centroid it is assigned to. */
export const distancesToCentroids = (
  x: Float32Array,
  centroids: Float32Array,
  assignment: Int32Array,
  dim: number
): Float32Array => {
  const out = new Float32Array(assignment.length)
  for (let i = 0; i < assignment.length; i++) out[i] = squaredL2(x, i * dim, centroids, assignment[i]! * dim, dim)
  return out
}

export interface ClusterSizes {
  readonly sizes: ReadonlyArray<number>
  readonly min: number
  readonly median: number
  readonly max: number
  readonly empty: number
}

export const clusterSizes = (assignment: Int32Array, k: number): ClusterSizes => {
  const sizes = new Array<number>(k).fill(0)
  for (let i = 0; i < assignment.length; i++) sizes[assignment[i]!]! += 1
  const sorted = [...sizes].sort((a, b) => a - b)
  const mid = Math.floor(k / 2)
  const median = k % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return { sizes, min: sorted[0] ?? 0, median, max: sorted[k - 1] ?? 0, empty: sorted.filter((s) => s === 0).length }
}

/**
 * Simplified silhouette (Hruschka et al.) on the sampled rows: with a = Euclidean distance to the
 * row's own centroid and b = distance to the nearest other centroid, s = (b - a) / max(a, b),
 * averaged. It costs sample * k * dim instead of sample^2 * dim, and unlike the exact silhouette
 * on a small sample it does not starve clusters of neighbours when k is large (k = 1,000 clusters
 * would leave 2 sampled points per cluster out of 2,000). Range [-1, 1]; 0 when k = 1.
 */
export const simplifiedSilhouette = (
  x: Float32Array,
  centroids: Float32Array,
  assignment: Int32Array,
  dim: number,
  k: number,
  picks: Int32Array
): number => {
  if (k < 2 || picks.length === 0) return 0
  let total = 0
  for (const row of picks) {
    const own = assignment[row]!
    let a = 0
    let b = Infinity
    for (let c = 0; c < k; c++) {
      const d = Math.sqrt(squaredL2(x, row * dim, centroids, c * dim, dim))
      if (c === own) a = d
      else if (d < b) b = d
    }
    const m = Math.max(a, b)
    total += m === 0 ? 0 : (b - a) / m
  }
  return total / picks.length
}

/** recall@k: the share of `truth`'s k neighbours per query that `labels` also returned. */
export const recallAtK = (labels: BigInt64Array, truth: BigInt64Array, k: number): number => {
  const nq = truth.length / k
  let hits = 0
  for (let q = 0; q < nq; q++) {
    const want = new Set(truth.subarray(q * k, q * k + k))
    for (let j = 0; j < k; j++) if (want.has(labels[q * k + j]!)) hits++
  }
  return truth.length === 0 ? 1 : hits / truth.length
}
