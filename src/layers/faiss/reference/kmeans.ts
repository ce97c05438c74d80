/**
 * Lloyd k-means in plain TypeScript, shaped after faiss::Clustering so the two can be compared:
 * same options, subsampling to k * maxPointsPerCentroid points, objective = sum of assignment
 * distances measured before each centroid update, empty clusters split off a large cluster with a
 * tiny symmetric perturbation, best of `nredo` runs by final objective, spherical mode normalising
 * centroids and assigning by inner product. Init: `initCentroids`, else a seeded `random` sample of
 * k distinct points (like FAISS) or `kmeans++`. Meant for tests and tiny data: O(n k d) per iteration.
 */
import { Effect } from "effect"
import { FaissError } from "../errors.js"
import type { KMeansOptions, KMeansResult } from "../types.js"
import { requireFinite, requireInt, rowsOf } from "./checks.js"
import { dot, flatSearch, l2sq } from "./flat-search.js"
import { makeRng, samplePositions, type Rng } from "./random.js"

const EPS = 1 / 1024

const normalizeRows = (c: Float32Array, k: number, d: number) => {
  for (let i = 0; i < k; i++) {
    const norm = Math.sqrt(dot(c, i * d, c, i * d, d))
    if (norm > 0) for (let j = 0; j < d; j++) c[i * d + j] = c[i * d + j]! / norm
  }
}

const gather = (x: Float32Array, d: number, rows: ArrayLike<number>): Float32Array => {
  const out = new Float32Array(rows.length * d)
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i]! * d, rows[i]! * d + d), i * d)
  return out
}

/** k-means++: each next centroid drawn with probability proportional to squared distance. */
const kmeansPlusPlus = (x: Float32Array, n: number, d: number, k: number, rng: Rng): Float32Array => {
  const chosen = [rng.int(n)]
  const best = new Float64Array(n).fill(Infinity)
  while (chosen.length < k) {
    const last = chosen[chosen.length - 1]!
    let total = 0
    for (let i = 0; i < n; i++) {
      best[i] = Math.min(best[i]!, l2sq(x, i * d, x, last * d, d))
      total += best[i]!
    }
    let r = rng.next() * total
    let pick = n - 1
    for (let i = 0; i < n; i++) {
      r -= best[i]!
      if (r < 0) {
        pick = i
        break
      }
    }
    chosen.push(pick)
  }
  return gather(x, d, chosen)
}

/** Moves an empty centroid next to a populated one (picked by size) and splits the two apart. */
const splitEmpty = (c: Float32Array, counts: Int32Array, k: number, d: number, n: number, rng: Rng) => {
  for (let ci = 0; ci < k; ci++) {
    if (counts[ci] !== 0) continue
    let cj = 0
    for (;;) {
      const p = ((counts[cj]! - 1) / (n - k)) as number
      if (rng.next() < p) break
      cj = (cj + 1) % k
    }
    for (let j = 0; j < d; j++) {
      const v = c[cj * d + j]!
      const up = j % 2 === 0
      c[ci * d + j] = v * (up ? 1 + EPS : 1 - EPS)
      c[cj * d + j] = v * (up ? 1 - EPS : 1 + EPS)
    }
    const half = Math.floor(counts[cj]! / 2)
    counts[ci] = half
    counts[cj] = counts[cj]! - half
  }
}

interface Run {
  readonly centroids: Float32Array
  readonly objective: Array<number>
}

const lloyd = (x: Float32Array, n: number, d: number, k: number, init: Float32Array, o: Options, rng: Rng): Run => {
  const c = Float32Array.from(init)
  if (o.spherical) normalizeRows(c, k, d)
  const objective: Array<number> = []
  const metric = o.spherical ? "ip" : "l2"
  for (let it = 0; it < o.niter; it++) {
    const { distances, positions } = flatSearch(metric, d, c, k, x, 1)
    let obj = 0
    for (let i = 0; i < n; i++) obj += distances[i]!
    objective.push(obj)
    const sums = new Float64Array(k * d)
    const counts = new Int32Array(k)
    for (let i = 0; i < n; i++) {
      const a = positions[i]!
      counts[a] = counts[a]! + 1
      for (let j = 0; j < d; j++) sums[a * d + j] = sums[a * d + j]! + x[i * d + j]!
    }
    for (let a = 0; a < k; a++) {
      if (counts[a] === 0) continue
      for (let j = 0; j < d; j++) c[a * d + j] = sums[a * d + j]! / counts[a]!
    }
    splitEmpty(c, counts, k, d, n, rng)
    if (o.spherical) normalizeRows(c, k, d)
  }
  return { centroids: c, objective }
}

interface Options {
  readonly niter: number
  readonly nredo: number
  readonly seed: number
  readonly spherical: boolean
  readonly maxPointsPerCentroid: number
}

export const referenceKMeans = (x: Float32Array, options: KMeansOptions): Effect.Effect<KMeansResult, FaissError> =>
  Effect.gen(function* () {
    const d = yield* requireInt("kmeans", "d", options.d, 1)
    const k = yield* requireInt("kmeans", "k", options.k, 1)
    const n = yield* rowsOf("kmeans", x, d)
    if (k > n) {
      return yield* new FaissError({
        reason: "invalid-argument",
        op: "kmeans",
        message: `kmeans: k = ${k} is larger than the number of points n = ${n}`
      })
    }
    const o: Options = {
      niter: yield* requireInt("kmeans", "niter", options.niter ?? 25, 1),
      nredo: yield* requireInt("kmeans", "nredo", options.nredo ?? 1, 1),
      seed: options.seed ?? 1234,
      spherical: options.spherical ?? false,
      maxPointsPerCentroid: options.maxPointsPerCentroid ?? 256
    }
    yield* requireFinite("kmeans", x)
    const init = options.initCentroids
    if (init !== undefined) {
      if (init.length !== k * d) {
        return yield* new FaissError({
          reason: "dimension",
          op: "kmeans",
          message: `kmeans: initCentroids has ${init.length} floats, expected k * d = ${k * d}`
        })
      }
      yield* requireFinite("kmeans", init, "initCentroids")
    }
    const rng = makeRng(o.seed)
    const train = n > k * o.maxPointsPerCentroid ? gather(x, d, samplePositions(n, k * o.maxPointsPerCentroid, rng)) : x
    const nt = train.length / d

    let best: Run | undefined
    const objective: Array<number> = []
    for (let redo = 0; redo < o.nredo; redo++) {
      const start =
        init ??
        (options.init === "kmeans++"
          ? kmeansPlusPlus(train, nt, d, k, rng)
          : gather(train, d, samplePositions(nt, k, rng)))
      const run = lloyd(train, nt, d, k, start, o, rng)
      objective.push(...run.objective)
      const last = run.objective[run.objective.length - 1]!
      const bestLast = best?.objective[best.objective.length - 1]
      if (bestLast === undefined || (o.spherical ? last > bestLast : last < bestLast)) best = run
    }
    const centroids = best!.centroids
    const { distances, positions } = flatSearch(o.spherical ? "ip" : "l2", d, centroids, k, x, 1)
    return { centroids, assignment: positions, distance: distances, objective }
  })
