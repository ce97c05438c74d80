/**
 * The shapes the Faiss service speaks: typed arrays in and out (vectors are row-major Float32Array
 * of n * d; ids and labels are BigInt64Array because FAISS ids are 64-bit), and the two interfaces
 * every backend implements, `FaissService` and `FaissIndex`.
 */
import type { Effect, Scope } from "effect"
import type { FaissError } from "./errors.js"

export type Metric = "l2" | "ip"

export interface KMeansOptions {
  /** Dimension of each vector; x.length must be a multiple of it. */
  readonly d: number
  /** Number of clusters; at most the number of points. */
  readonly k: number
  /** Lloyd iterations per run (default 25). */
  readonly niter?: number
  /** Runs from different random starts; the best final objective wins (default 1). */
  readonly nredo?: number
  /** Seed of the initial sample and of subsampling (default 1234). */
  readonly seed?: number
  /** Normalise centroids after each iteration and assign by inner product (default false). */
  readonly spherical?: boolean
  /** Train on at most k * this many points, sampled from the seed (default 256; Infinity: all). */
  readonly maxPointsPerCentroid?: number
  /** Below k * this many points FAISS warns (default 39). */
  readonly minPointsPerCentroid?: number
  readonly verbose?: boolean
  /** Starting centroids (k * d) instead of a random sample; the same init gives the same run. */
  readonly initCentroids?: Float32Array
  /**
   * How to pick starting centroids when `initCentroids` is absent: `random` (default, FAISS's own:
   * k distinct sampled points) or `kmeans++` (D^2 sampling on the training sample, each redo
   * reseeded; far more reliable on well-separated clusters, costs O(n k d) once per redo).
   */
  readonly init?: "random" | "kmeans++"
}

export interface KMeansResult {
  /** k * d, row-major. */
  readonly centroids: Float32Array
  /** Cluster of every input point, from a flat search over the final centroids. */
  readonly assignment: Int32Array
  /** Squared L2 distance of each point to its centroid (inner product when spherical). */
  readonly distance: Float32Array
  /** Objective (sum of distances) at every iteration of every redo, in order: niter * nredo values. */
  readonly objective: ReadonlyArray<number>
}

export interface IndexSpec {
  readonly dim: number
  /** FAISS index factory string: `Flat`, `HNSW32`, `IVF1024,Flat`, `IVF4096,PQ32`, `IDMap,HNSW32`... */
  readonly factory: string
  readonly metric: Metric
}

export interface SearchResult {
  /** k per query, row-major; best first (smallest L2, largest inner product). */
  readonly distances: Float32Array
  /** Ids of the neighbours, -1n where fewer than k exist. */
  readonly labels: BigInt64Array
  readonly k: number
}

export interface RangeSearchResult {
  /** Results of query i are at [lims[i], lims[i + 1]). */
  readonly lims: Float64Array
  readonly distances: Float32Array
  readonly labels: BigInt64Array
}

export interface FaissIndex {
  readonly dim: number
  readonly metric: Metric
  /** The factory string it was built from; `unknown` for an index read from a file or buffer. */
  readonly factory: string
  readonly ntotal: Effect.Effect<number, FaissError>
  readonly isTrained: Effect.Effect<boolean, FaissError>
  readonly train: (x: Float32Array) => Effect.Effect<void, FaissError>
  readonly add: (x: Float32Array) => Effect.Effect<void, FaissError>
  /**
   * Makes `centroids` (nlist x dim) the coarse quantizer of an IVF index and marks it trained, as
   * `train` would after its own k-means: reuses a k-means already run over the same vectors.
   */
  readonly setCentroids: (centroids: Float32Array) => Effect.Effect<void, FaissError>
  /**
   * 64-bit ids; needs an index that stores ids (IVF, or an `IDMap,` prefix). `lists` (IVF only)
   * gives each vector's inverted list, skipping the quantizer's assignment: pass the assignment of
   * a k-means whose centroids were given to `setCentroids`.
   */
  readonly addWithIds: (x: Float32Array, ids: BigInt64Array, lists?: Int32Array) => Effect.Effect<void, FaissError>
  readonly search: (x: Float32Array, k: number) => Effect.Effect<SearchResult, FaissError>
  /** For l2 the radius bounds the squared distance; for ip, results have inner product > radius. */
  readonly rangeSearch: (x: Float32Array, radius: number) => Effect.Effect<RangeSearchResult, FaissError>
  /** Search-time parameter through FAISS's ParameterSpace: `nprobe` (IVF), `efSearch` (HNSW). */
  readonly setParameter: (name: string, value: number) => Effect.Effect<void, FaissError>
  readonly write: (path: string) => Effect.Effect<void, FaissError>
  readonly toBuffer: Effect.Effect<Uint8Array, FaissError>
  readonly reset: Effect.Effect<void, FaissError>
  /** Frees the index now (or when its running call settles). Idempotent; the scope also calls it. */
  readonly dispose: Effect.Effect<void>
}

export interface FaissBackendInfo {
  readonly kind: "native" | "reference"
  readonly device: "cpu" | "gpu"
  /** FAISS library version for the native backend. */
  readonly version: string
}

export interface FaissService {
  readonly backend: FaissBackendInfo
  readonly kmeans: (x: Float32Array, options: KMeansOptions) => Effect.Effect<KMeansResult, FaissError>
  /** A new empty index, disposed when the scope closes (or when the layer's scope closes). */
  readonly createIndex: (spec: IndexSpec) => Effect.Effect<FaissIndex, FaissError, Scope.Scope>
  readonly readIndex: (path: string) => Effect.Effect<FaissIndex, FaissError, Scope.Scope>
  readonly indexFromBuffer: (bytes: Uint8Array) => Effect.Effect<FaissIndex, FaissError, Scope.Scope>
  readonly setThreads: (n: number) => Effect.Effect<void, FaissError>
  readonly getThreads: Effect.Effect<number>
}
