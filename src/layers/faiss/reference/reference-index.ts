/**
 * A `FaissIndex` answered by exact search in TypeScript (see factory.ts for what of the factory
 * string it honours). Vectors are copied in on add, like any index that stores them.
 */
import { Effect } from "effect"
import { readFile, writeFile } from "node:fs/promises"
import { FaissError } from "../errors.js"
import type { FaissIndex, Metric } from "../types.js"
import { requireFinite, requireInt, rowsOf } from "./checks.js"
import type { FactoryTraits } from "./factory.js"
import { flatRangeSearch, flatSearch } from "./flat-search.js"
import { decodeSnapshot, encodeSnapshot, type ReferenceSnapshot } from "./serialize.js"

export interface ReferenceIndexState {
  readonly dim: number
  readonly metric: Metric
  readonly factory: string
  readonly traits: FactoryTraits
  trained: boolean
  vectors: Float32Array
  ids: BigInt64Array
}

const fail = (reason: FaissError["reason"], op: string, message: string) =>
  Effect.fail(new FaissError({ reason, op, message: `${op}: ${message}` }))

/** The list count of an IVF factory string (`IVF1024,Flat` -> 1024), else undefined. */
const ivfLists = (factory: string): number | undefined => {
  const m = /IVF(\d+)/.exec(factory)
  return m === null ? undefined : Number(m[1])
}

const concat = <T extends Float32Array | BigInt64Array>(a: T, b: T, make: (n: number) => T): T => {
  const out = make(a.length + b.length)
  out.set(a as never, 0)
  out.set(b as never, a.length)
  return out
}

export const makeReferenceIndex = (s: ReferenceIndexState): FaissIndex => {
  let disposed = false
  const live = (op: string) =>
    Effect.suspend(() => (disposed ? fail("disposed", op, "the index has been disposed") : Effect.void))
  const rows = (op: string, x: Float32Array) =>
    Effect.zipRight(live(op), Effect.tap(rowsOf(op, x, s.dim), () => requireFinite(op, x)))
  const trained = (op: string) =>
    s.trained ? Effect.void : fail("not-trained", op, "the index must be trained first (call train)")
  const append = (x: Float32Array, ids: BigInt64Array) =>
    Effect.sync(() => {
      s.vectors = concat(s.vectors, x, (n) => new Float32Array(n))
      s.ids = concat(s.ids, ids, (n) => new BigInt64Array(n))
    })
  const snapshot = (): ReferenceSnapshot => ({ ...s })

  return {
    dim: s.dim,
    metric: s.metric,
    factory: s.factory,
    ntotal: Effect.map(live("ntotal"), () => s.ids.length),
    isTrained: Effect.map(live("isTrained"), () => s.trained),
    train: (x) => Effect.zipRight(rows("train", x), Effect.sync(() => void (s.trained = true))),
    add: (x) =>
      Effect.gen(function* () {
        const n = yield* rows("add", x)
        yield* trained("add")
        const start = s.ids.length
        yield* append(x, BigInt64Array.from({ length: n }, (_, i) => BigInt(start + i)))
      }),
    setCentroids: (centroids) =>
      Effect.gen(function* () {
        const n = yield* rows("setCentroids", centroids)
        const nlist = ivfLists(s.factory)
        if (nlist === undefined) return yield* fail("invalid-argument", "setCentroids", "needs a CPU IVF index (factory IVF<n>,...)")
        if (n !== nlist) return yield* fail("dimension", "setCentroids", `${n} centroids for an index of ${nlist} lists`)
        if (s.ids.length > 0) return yield* fail("invalid-argument", "setCentroids", "the index already holds vectors (reset it first)")
        // Exact search ignores the lists: only the trained state matters here.
        s.trained = true
      }),
    addWithIds: (x, ids, lists) =>
      Effect.gen(function* () {
        const n = yield* rows("addWithIds", x)
        if (ids.length !== n) return yield* fail("dimension", "addWithIds", `${ids.length} ids for ${n} vectors`)
        if (lists !== undefined) {
          const nlist = ivfLists(s.factory)
          if (nlist === undefined) return yield* fail("invalid-argument", "addWithIds with lists", "needs a CPU IVF index (factory IVF<n>,...)")
          if (lists.length !== n) return yield* fail("dimension", "addWithIds", `${lists.length} list numbers for ${n} vectors`)
          const bad = lists.findIndex((l) => l < 0 || l >= nlist)
          if (bad >= 0) return yield* fail("invalid-argument", "addWithIds", `list number ${lists[bad]} of vector ${bad} is outside 0..${nlist - 1}`)
        }
        if (!s.traits.storesIds) {
          return yield* fail("library", "addWithIds", `add_with_ids not implemented for ${s.factory} (use IDMap,${s.factory})`)
        }
        yield* trained("addWithIds")
        yield* append(x, ids)
      }),
    search: (x, k) =>
      Effect.gen(function* () {
        yield* rows("search", x)
        yield* requireInt("search", "k", k, 1, 1 << 16)
        yield* trained("search")
        const { distances, positions } = flatSearch(s.metric, s.dim, s.vectors, s.ids.length, x, k)
        const labels = BigInt64Array.from(positions, (p) => (p < 0 ? -1n : s.ids[p]!))
        return { distances, labels, k }
      }),
    rangeSearch: (x, radius) =>
      Effect.gen(function* () {
        yield* rows("rangeSearch", x)
        if (!Number.isFinite(radius)) return yield* fail("not-finite", "rangeSearch", "radius must be finite")
        yield* trained("rangeSearch")
        return flatRangeSearch(s.metric, s.dim, s.vectors, s.ids.length, s.ids, x, radius)
      }),
    setParameter: (name, value) =>
      Effect.gen(function* () {
        yield* live("setParameter")
        const applies = name === "nprobe" ? /IVF|IMI/.test(s.factory) : name === "efSearch" ? /HNSW/.test(s.factory) : false
        if (!applies) return yield* fail("invalid-argument", "setParameter", `${name} does not apply to ${s.factory}`)
        yield* requireInt("setParameter", name, value, 1)
        // Exact search needs no search-time parameter: accepted and ignored.
      }),
    write: (path) =>
      Effect.zipRight(
        live("write"),
        Effect.tryPromise({
          try: () => writeFile(path, encodeSnapshot(snapshot())),
          catch: (cause) => new FaissError({ reason: "io", op: "write", message: `write ${path}: ${String(cause)}`, cause })
        })
      ),
    toBuffer: Effect.zipRight(live("toBuffer"), Effect.sync(() => encodeSnapshot(snapshot()))),
    reset: Effect.zipRight(
      live("reset"),
      Effect.sync(() => {
        s.vectors = new Float32Array(0)
        s.ids = new BigInt64Array(0)
      })
    ),
    dispose: Effect.sync(() => {
      disposed = true
    })
  }
}

/** Decodes a snapshot into index state; fails with reason `io`. */
export const stateFromBytes = (
  op: string,
  bytes: Uint8Array,
  traitsOf: (factory: string) => FactoryTraits | undefined
): Effect.Effect<ReferenceIndexState, FaissError> => {
  const decoded = decodeSnapshot(bytes)
  const traits = typeof decoded === "string" ? undefined : traitsOf(decoded.factory)
  if (typeof decoded === "string" || traits === undefined) {
    return fail("io", op, typeof decoded === "string" ? decoded : "unknown factory in header")
  }
  return Effect.succeed({ ...decoded, traits })
}

export const readBytes = (path: string): Effect.Effect<Uint8Array, FaissError> =>
  Effect.tryPromise({
    try: () => readFile(path),
    catch: (cause) => new FaissError({ reason: "io", op: "readIndex", message: `readIndex ${path}: ${String(cause)}`, cause })
  })
