/**
 * The exhaustive top matches of an origin sample are a pure function of the profiles (their codes
 * file), the origin rows, `top` and the match config, not of the embeddings: `match` and
 * `match-random` in full.yaml ask for exactly the same ones (3.8 s of CPU at 1,000,000 profiles
 * and 200 origins). This keeps each result for the life of the process, keyed by those inputs, so
 * the second stage of a run waits for the first one's result instead of scoring again. A failed
 * computation is forgotten (the next caller computes again); at most MAX_ENTRIES are kept.
 */
import { Deferred, Effect, Exit } from "effect"

const MAX_ENTRIES = 4

const entries = new Map<string, Deferred.Deferred<unknown, unknown>>()

/** The result, and whether this call computed it (false: another caller's result was reused). */
export const memoizedExhaustive = <A, E, R>(
  key: string,
  compute: Effect.Effect<A, E, R>
): Effect.Effect<{ readonly value: A; readonly computed: boolean }, E, R> =>
  Effect.gen(function* () {
    const known = entries.get(key) as Deferred.Deferred<A, E> | undefined
    if (known !== undefined) return { value: yield* Deferred.await(known), computed: false }
    const deferred = yield* Deferred.make<A, E>()
    entries.set(key, deferred as Deferred.Deferred<unknown, unknown>)
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string)
    const exit = yield* Effect.exit(compute)
    if (Exit.isFailure(exit)) entries.delete(key)
    yield* Deferred.done(deferred, exit)
    return { value: yield* exit, computed: true }
  })
