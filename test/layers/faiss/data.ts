/** Seeded test data for the Faiss tests: uniform vectors, well-separated blobs, recall. */
import { uniformSource } from "../../../src/domain/random/index.js"
export const rng = uniformSource

export const uniform = (n: number, d: number, seed: number): Float32Array => {
  const r = rng(seed)
  const x = new Float32Array(n * d)
  for (let i = 0; i < x.length; i++) x[i] = r()
  return x
}

/** `blobs` tight clusters (spread 0.05) around centers 10 apart; `truth[i]` is the blob of point i. */
export const blobs = (blobsCount: number, perBlob: number, d: number, seed: number) => {
  const r = rng(seed)
  const centers = new Float32Array(blobsCount * d)
  for (let b = 0; b < blobsCount; b++) centers[b * d + (b % d)] = 10 * (1 + Math.floor(b / d))
  const n = blobsCount * perBlob
  const x = new Float32Array(n * d)
  const truth = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const b = i % blobsCount
    truth[i] = b
    for (let j = 0; j < d; j++) x[i * d + j] = centers[b * d + j]! + 0.05 * (r() - 0.5)
  }
  return { x, truth, n }
}

/** True when the clustering maps each blob to exactly one cluster and vice versa. */
export const recoversBlobs = (assignment: Int32Array, truth: Int32Array, k: number): boolean => {
  const clusterOfBlob = new Map<number, number>()
  for (let i = 0; i < truth.length; i++) {
    const seen = clusterOfBlob.get(truth[i]!)
    if (seen === undefined) clusterOfBlob.set(truth[i]!, assignment[i]!)
    else if (seen !== assignment[i]) return false
  }
  return new Set(clusterOfBlob.values()).size === k
}

/** recall@k of `labels` against `truth` (both nq * k). */
export const recallAtK = (labels: BigInt64Array, truth: BigInt64Array, k: number): number => {
  const nq = truth.length / k
  let hits = 0
  for (let q = 0; q < nq; q++) {
    const want = new Set(truth.subarray(q * k, q * k + k))
    for (let j = 0; j < k; j++) if (want.has(labels[q * k + j]!)) hits++
  }
  return hits / truth.length
}
