/**
 * The exhaustive top matches of match-eval's origin sample.
 *
 * With a codes file, slices of the origins go to the WorkerPool (`exhaustive-top`: each worker reads
 * and encodes the codes once, then scores 1,000,000 profiles per origin in ~3 ms): 200 origins took
 * 2.9 s on the stage's thread, about half that on two workers. Without one, they are scored on the
 * stage's thread with the encoding the stage already has.
 *
 * The result is a pure function of the profiles (their codes file), the origin rows, `top` and the
 * match config, not of the embeddings: `match` and `match-random` in full.yaml ask for exactly the
 * same ones (3.8 s of CPU at 1,000,000 profiles and 200 origins). So each result is kept for the
 * life of the process, keyed by those inputs, and the second stage of a run waits for the first
 * one's instead of scoring again. A failed computation is forgotten (the next caller computes
 * again); at most MAX_ENTRIES are kept.
 */
import { Cause, Deferred, Effect, Exit } from "effect"
import type { EncodedMatch, MatchConfig } from "../../domain/matching/index.js"
import { WorkerPool } from "../../layers/workers/service.js"
import { StageError } from "../../runtime/errors.js"
import { StageProgress } from "../../runtime/services/progress.js"
import { usableCodes } from "./data-codes-file.js"
import type { ProfilesRef } from "./match-eval.js"

const MAX_ENTRIES = 4

const entries = new Map<string, Deferred.Deferred<unknown, unknown>>()

/**
 * The result, and whether this call computed it (false: another caller's result was reused). When
 * the computing fiber is interrupted (its stage timed out or was stopped), its waiters compute
 * themselves rather than inherit the interruption.
 */
export const memoizedExhaustive = <A, E, R>(
  key: string,
  compute: Effect.Effect<A, E, R>
): Effect.Effect<{ readonly value: A; readonly computed: boolean }, E, R> =>
  Effect.gen(function* () {
    const known = entries.get(key) as Deferred.Deferred<A, E> | undefined
    if (known !== undefined) {
      const exit = yield* Effect.exit(Deferred.await(known))
      if (Exit.isSuccess(exit)) return { value: exit.value, computed: false }
      if (!Cause.isInterruptedOnly(exit.cause)) return yield* Effect.failCause(exit.cause)
    }
    const deferred = yield* Deferred.make<A, E>()
    entries.set(key, deferred as Deferred.Deferred<unknown, unknown>)
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string)
    const exit = yield* Effect.exit(compute).pipe(
      Effect.onInterrupt(() =>
        Effect.suspend(() => {
          if (entries.get(key) === deferred) entries.delete(key)
          return Deferred.interrupt(deferred)
        })
      )
    )
    if (Exit.isFailure(exit) && entries.get(key) === deferred) entries.delete(key)
    yield* Deferred.done(deferred, exit)
    return { value: yield* exit, computed: true }
  })

/**
 * The exhaustive top of every origin row, in order, and the milliseconds computing them took (when
 * another stage's result is reused, that stage's time); `here` scores one row on this thread.
 */
export const exhaustiveTops = (
  profiles: ProfilesRef,
  layout: { readonly firstId: number; readonly chunkSize: number },
  rows: ReadonlyArray<number>,
  config: { readonly top: number; readonly match: MatchConfig },
  here: (row: number) => ReadonlyArray<EncodedMatch>
) =>
  Effect.gen(function* () {
    const progress = yield* StageProgress
    const pool = yield* WorkerPool
    const ref = usableCodes(profiles, layout)
    const started = performance.now()
    if (ref === undefined) {
      const lists: Array<ReadonlyArray<EncodedMatch>> = []
      for (const row of rows) {
        lists.push(here(row))
        yield* progress.advance(1)
      }
      return { lists, ms: performance.now() - started }
    }
    const parts = Math.min(rows.length, pool.size * 4)
    const slices = Array.from({ length: parts }, (_, p) => rows.slice(Math.floor((p * rows.length) / parts), Math.floor(((p + 1) * rows.length) / parts)))
    const lists = Effect.forEach(
      slices,
      (origins) =>
        pool.run("exhaustive-top", { codes: ref, origins, top: config.top, match: config.match }).pipe(
          Effect.tap(() => progress.advance(origins.length)),
          Effect.mapError((e) => new StageError({ message: `exhaustive scoring failed: ${e.message}`, retryable: false, cause: e }))
        ),
      { concurrency: "unbounded" }
    ).pipe(Effect.map((parts) => ({ lists: parts.flatMap((l) => l.matches), ms: performance.now() - started })))
    const key = JSON.stringify({ ref, rows, top: config.top, match: config.match })
    const result = yield* memoizedExhaustive(key, lists)
    if (!result.computed) yield* progress.advance(rows.length)
    return result.value
  })
