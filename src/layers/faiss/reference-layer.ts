/**
 * `FaissReference`: the Faiss service in pure TypeScript, for unit tests and tiny data. Exact flat
 * search for every factory string and Lloyd k-means; no native code, no threads. Its results are
 * what the native backend is tested against.
 */
import { Effect, Layer } from "effect"
import { applyDefaults } from "./ann-defaults.js"
import { FaissError } from "./errors.js"
import { factoryProblem, parseFactory } from "./reference/factory.js"
import { referenceKMeans } from "./reference/kmeans.js"
import { makeReferenceIndex, readBytes, stateFromBytes } from "./reference/reference-index.js"
import { requireInt } from "./reference/checks.js"
import { Faiss } from "./service.js"
import type { FaissIndex, FaissService } from "./types.js"

const scoped = (open: Effect.Effect<FaissIndex, FaissError>) => Effect.acquireRelease(open, (index) => index.dispose)

const makeService = (): FaissService => {
  let threads = 1
  return {
    backend: { kind: "reference", device: "cpu", version: "reference" },
    kmeans: referenceKMeans,
    createIndex: (spec) =>
      scoped(
        Effect.gen(function* () {
          yield* requireInt("createIndex", "dim", spec.dim, 1, 1 << 20)
          const traits = parseFactory(spec.factory)
          if (traits === undefined) {
            return yield* new FaissError({
              reason: "invalid-argument",
              op: "createIndex",
              message: `Index: cannot build "${spec.factory}": ${factoryProblem(spec.factory) ?? "could not parse index string"}`
            })
          }
          return makeReferenceIndex({
            dim: spec.dim,
            metric: spec.metric,
            factory: spec.factory,
            traits,
            trained: !traits.needsTraining,
            vectors: new Float32Array(0),
            ids: new BigInt64Array(0)
          })
        }).pipe(Effect.tap(applyDefaults))
      ),
    readIndex: (path) =>
      scoped(
        Effect.flatMap(readBytes(path), (bytes) =>
          Effect.map(stateFromBytes("readIndex", bytes, parseFactory), makeReferenceIndex)
        )
      ),
    indexFromBuffer: (bytes) =>
      scoped(Effect.map(stateFromBytes("indexFromBuffer", bytes, parseFactory), makeReferenceIndex)),
    setThreads: (n) => Effect.map(requireInt("setThreads", "n", n, 1, 256), (v) => void (threads = v)),
    getThreads: Effect.sync(() => threads)
  }
}

export const FaissReference: Layer.Layer<Faiss> = Layer.suspend(() => Layer.sync(Faiss, makeService))
