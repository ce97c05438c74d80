/**
 * A native FAISS index as a `FaissIndex`: every call becomes an Effect whose failure is a
 * FaissError. Arrays are passed straight through to the addon, which reads them in place.
 */
import { Effect } from "effect"
import { FaissError, fromNativeError } from "./errors.js"
import type { NativeIndex } from "./native-binding.js"
import type { FaissIndex, Metric } from "./types.js"

/** Runs a promise-returning addon call; sync throws and rejections both become FaissError. */
export const nativeCall = <A>(op: string, call: () => Promise<A>): Effect.Effect<A, FaissError> =>
  Effect.tryPromise({ try: call, catch: fromNativeError(op) })

/** Runs a synchronous addon call. */
export const nativeSync = <A>(op: string, call: () => A): Effect.Effect<A, FaissError> =>
  Effect.try({ try: call, catch: fromNativeError(op) })

export const wrapNativeIndex = (native: NativeIndex, factory: string): Effect.Effect<FaissIndex, FaissError> =>
  Effect.gen(function* () {
    const metric = native.metric
    if (metric === "other") {
      native.dispose()
      return yield* new FaissError({ reason: "unsupported", op: "wrap", message: "only l2 and ip indexes are supported" })
    }
    const m: Metric = metric
    return {
      dim: native.dim,
      metric: m,
      factory,
      ntotal: nativeSync("ntotal", () => native.ntotal),
      isTrained: nativeSync("isTrained", () => native.isTrained),
      train: (x) => nativeCall("train", () => native.train(x)),
      add: (x) => nativeCall("add", () => native.add(x)),
      setCentroids: (centroids) => nativeCall("setCentroids", () => native.setCentroids(centroids)),
      addWithIds: (x, ids, lists) => nativeCall("addWithIds", () => native.addWithIds(x, ids, lists)),
      search: (x, k) => Effect.map(nativeCall("search", () => native.search(x, k)), (r) => ({ ...r, k })),
      rangeSearch: (x, radius) => nativeCall("rangeSearch", () => native.rangeSearch(x, radius)),
      setParameter: (name, value) => nativeSync("setParameter", () => native.setParameter(name, value)),
      write: (path) => nativeCall("write", () => native.write(path)),
      toBuffer: nativeCall("toBuffer", () => native.toBuffer()),
      reset: nativeSync("reset", () => native.reset()),
      dispose: Effect.sync(() => native.dispose())
    }
  })
