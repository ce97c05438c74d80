/**
 * `FaissNative`: the Faiss service over the addon. Indexes are disposed by the scope that created
 * them and, as a backstop, by the layer's own scope when it closes; the layer also restores the
 * OpenMP thread count it changed. `makeFaissNative({ device: "gpu" })` places k-means and indexes
 * on GPU 0 and fails with reason `gpu-unavailable` when the addon has no GPU part.
 */
import { Effect, Layer } from "effect"
import { applyDefaults } from "./ann-defaults.js"
import { factoryGrammarProblem } from "./factory-grammar.js"
import { FaissError } from "./errors.js"
import { loadAddon } from "./native-binding.js"
import { nativeCall, nativeSync, wrapNativeIndex } from "./native-index.js"
import { Faiss } from "./service.js"
import type { FaissIndex, FaissService } from "./types.js"

export interface NativeOptions {
  readonly device: "cpu" | "gpu"
  readonly threads?: number | undefined
}

/** Fails with `invalid-argument` when `factory` is outside the shared grammar (factory-grammar.ts). */
const requireFactoryGrammar = (factory: string): Effect.Effect<void, FaissError> => {
  const problem = factoryGrammarProblem(factory)
  return problem === undefined
    ? Effect.void
    : Effect.fail(
        new FaissError({ reason: "invalid-argument", op: "createIndex", message: `Index: cannot build ${JSON.stringify(factory.slice(0, 80))}: ${problem}` })
      )
}

const makeService = (options: NativeOptions) =>
  Effect.gen(function* () {
    const addon = yield* loadAddon
    const gpu = options.device === "gpu"
    if (gpu && !addon.gpuAvailable) {
      return yield* new FaissError({ reason: "gpu-unavailable", op: "layer", message: addon.gpuUnavailableReason })
    }
    const threadsBefore = addon.getThreads()
    if (options.threads !== undefined) {
      const n = options.threads
      yield* nativeSync("setThreads", () => addon.setThreads(n))
    }
    yield* Effect.addFinalizer(() => Effect.sync(() => addon.setThreads(threadsBefore)))

    // Every live index, so the layer's scope can free what a caller's scope did not.
    const live = new Set<FaissIndex>()
    yield* Effect.addFinalizer(() => Effect.forEach(live, (index) => index.dispose, { discard: true }))

    const adopt = (open: Effect.Effect<FaissIndex, FaissError>) =>
      Effect.acquireRelease(
        Effect.tap(open, (index) => Effect.sync(() => live.add(index))),
        (index) => Effect.zipRight(index.dispose, Effect.sync(() => live.delete(index)))
      )

    const service: FaissService = {
      backend: { kind: "native", device: options.device, version: addon.faissVersion },
      kmeans: (x, o) =>
        Effect.gen(function* () {
          const maxPoints = o.maxPointsPerCentroid === Infinity ? 2 ** 31 - 1 : o.maxPointsPerCentroid
          const { maxPointsPerCentroid: _max, ...rest } = o
          const native = { ...rest, ...(maxPoints === undefined ? {} : { maxPointsPerCentroid: maxPoints }), gpu }
          return yield* nativeCall("kmeans", () => addon.kmeans(x, native))
        }),
      createIndex: (spec) =>
        adopt(
          Effect.flatMap(
            Effect.zipRight(
              requireFactoryGrammar(spec.factory),
              nativeSync("createIndex", () => new addon.Index(spec.dim, spec.factory, spec.metric, gpu))
            ),
            (native) => wrapNativeIndex(native, spec.factory)
          ).pipe(Effect.tap(applyDefaults))
        ),
      readIndex: (path) =>
        adopt(Effect.flatMap(nativeCall("readIndex", () => addon.readIndex(path, gpu)), (n) => wrapNativeIndex(n, "unknown"))),
      indexFromBuffer: (bytes) =>
        adopt(
          Effect.flatMap(nativeCall("indexFromBuffer", () => addon.indexFromBuffer(bytes, gpu)), (n) =>
            wrapNativeIndex(n, "unknown")
          )
        ),
      setThreads: (n) => nativeSync("setThreads", () => addon.setThreads(n)),
      getThreads: Effect.sync(() => addon.getThreads())
    }
    return service
  })

/** The native layer with explicit options (device, threads). */
export const makeFaissNative = (options: NativeOptions): Layer.Layer<Faiss, FaissError> =>
  Layer.scoped(Faiss, makeService(options))

/** The native CPU layer with OpenMP's default thread count. */
export const FaissNative: Layer.Layer<Faiss, FaissError> = Layer.suspend(() => makeFaissNative({ device: "cpu" }))
