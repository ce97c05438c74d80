/**
 * The chunk key of WorkerPool calls: `withChunkKey(cacheKey, chunk)` marks the calls made inside it
 * as the work of chunk `chunk` of the stage whose cache key is `cacheKey`. A pool that persists
 * its calls (the cluster pool) sends them to the entity of that key, so a repeated send of the same
 * chunk (a retried send, a resumed driver) is recognised and answered from storage instead of
 * running again; the threads and inline pools ignore it.
 *
 * A FiberRef rather than a parameter of `run`, so that stages keep calling the one WorkerPool
 * interface; its own module so that stages can key their calls without loading the cluster engine.
 */
import { Effect, FiberRef, Option } from "effect"

/** The key of the calls in progress on this fiber, if a stage set one. */
export const currentChunkKey: FiberRef.FiberRef<Option.Option<string>> = FiberRef.unsafeMake<Option.Option<string>>(Option.none())

/**
 * Runs `self` with its WorkerPool calls keyed by (stage cache key, chunk). The key must identify
 * the input completely: the stage's cache key (config, inputs, kind version) and the chunk index do.
 * A stage whose calls per chunk are several must key each with a distinct `chunk`.
 */
export const withChunkKey =
  (cacheKey: string, chunk: number) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.locally(self, currentChunkKey, Option.some(`${cacheKey}/${chunk}`))
