/**
 * The raw addon (native/faiss, built to build/Release/faiss_napi.node by `npm install`): its types,
 * and how it is found. The path is resolved from this module's own location by walking up to the
 * package root (the directory holding binding.gyp), so it loads the same from src/ under vitest and
 * from dist/src/ after tsc.
 */
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { FaissError } from "./errors.js"
import type { KMeansOptions } from "./types.js"

export interface NativeIndex {
  readonly ntotal: number
  readonly dim: number
  readonly isTrained: boolean
  readonly metric: "l2" | "ip" | "other"
  readonly disposed: boolean
  readonly onGpu: boolean
  train(x: Float32Array): Promise<void>
  add(x: Float32Array): Promise<void>
  addWithIds(x: Float32Array, ids: BigInt64Array, lists?: Int32Array): Promise<void>
  setCentroids(centroids: Float32Array): Promise<void>
  search(x: Float32Array, k: number): Promise<{ distances: Float32Array; labels: BigInt64Array }>
  rangeSearch(x: Float32Array, radius: number): Promise<{ lims: Float64Array; distances: Float32Array; labels: BigInt64Array }>
  setParameter(name: string, value: number): void
  write(path: string): Promise<void>
  toBuffer(): Promise<Buffer>
  reset(): void
  dispose(): void
}

/** The addon's k-means options: the service's, plus the device choice the layer makes. */
export interface NativeKMeansOptions extends KMeansOptions {
  readonly gpu?: boolean
}

export interface NativeAddon {
  readonly Index: new (d: number, factory: string, metric: "l2" | "ip", gpu?: boolean) => NativeIndex
  kmeans(
    x: Float32Array,
    options: NativeKMeansOptions
  ): Promise<{ centroids: Float32Array; assignment: Int32Array; distance: Float32Array; objective: Array<number> }>
  /**
   * Builds the index `factory` describes at dimension `d` and frees it at once, on the calling
   * thread (no training, no data): null when FAISS accepts the string, else its whole message.
   */
  checkFactory(d: number, factory: string, metric: "l2" | "ip"): string | null
  readIndex(path: string, gpu?: boolean): Promise<NativeIndex>
  indexFromBuffer(bytes: Uint8Array, gpu?: boolean): Promise<NativeIndex>
  setThreads(n: number): void
  getThreads(): number
  readonly faissVersion: string
  readonly gpuAvailable: boolean
  readonly gpuUnavailableReason: string
}

/** build/Release/faiss_napi.node under the package root, or undefined when no root is found. */
export const addonPath = (): string | undefined => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, "binding.gyp"))) return join(dir, "build", "Release", "faiss_napi.node")
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

let cached: NativeAddon | undefined

/**
 * Loads the addon once per process, synchronously: the addon, or a FaissError with reason
 * `addon-unavailable` saying how to build it. For callers that cannot run an Effect (a Schema
 * check while a pipeline file is decoded); everything else uses `loadAddon`.
 */
export const loadAddonSync = (): NativeAddon | FaissError => {
  if (cached !== undefined) return cached
  const path = addonPath()
  if (path === undefined || !existsSync(path)) {
    return new FaissError({
      reason: "addon-unavailable",
      op: "load",
      message: `the FAISS addon is not built (${path ?? "no package root"}); install libfaiss-dev libopenblas-dev and run npm install`
    })
  }
  try {
    // OpenMP threads that finish a parallel region sleep instead of spinning (read by libgomp
    // when the addon loads it): FAISS shares the cores with the worker pool and the other stages,
    // and spinning threads took CPU they needed. Measured on full.yaml at 1,000,000 profiles:
    // 31-32 s of user CPU instead of 35-36 s. A value the user set is kept.
    process.env["OMP_WAIT_POLICY"] ??= "PASSIVE"
    cached = createRequire(import.meta.url)(path) as NativeAddon
    return cached
  } catch (cause) {
    return new FaissError({ reason: "addon-unavailable", op: "load", message: `cannot load ${path}: ${String(cause)}`, cause })
  }
}

/** Loads the addon once per process; fails with reason `addon-unavailable` saying how to build it. */
export const loadAddon: Effect.Effect<NativeAddon, FaissError> = Effect.suspend(() => {
  const loaded = loadAddonSync()
  return loaded instanceof FaissError ? Effect.fail(loaded) : Effect.succeed(loaded)
})
