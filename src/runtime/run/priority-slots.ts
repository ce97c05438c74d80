/**
 * The run's concurrency slots, handed out by priority rather than in arrival order: when stages
 * wait for a slot, the one with the highest priority gets the next free one (ties: the one that
 * asked first). The scheduler's priority is a stage's height in the DAG — the longest chain of
 * stages that still depend on it — so stages on the critical path start first. (Measured on
 * full.yaml at 1,000,000 profiles: `vectors`, which nothing depends on, no longer takes a slot
 * ahead of `embeddings`, which the k-means, the index and the match stages wait for.)
 *
 * A fiber interrupted while waiting leaves the queue; one interrupted just after being granted a
 * slot gives it back.
 */
import { Deferred, Duration, Effect } from "effect"

/** How long a freed slot waits for newly ready stages before going to the best waiter. */
const GRANT_DELAY = Duration.millis(20)

interface Waiter {
  readonly priority: number
  readonly order: number
  readonly granted: Deferred.Deferred<void>
}

export interface PrioritySlots {
  /** Runs `effect` holding one slot, waiting for it behind higher priorities. */
  readonly withSlot: (priority: number) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

export const makePrioritySlots = (slots: number): Effect.Effect<PrioritySlots> =>
  Effect.sync(() => {
    let free = Math.max(1, slots)
    let arrivals = 0
    const queue: Array<Waiter> = []

    /** Grants free slots to the best waiters. */
    const dispatch = (): void => {
      while (free > 0 && queue.length > 0) {
        free--
        Deferred.unsafeDone(queue.shift()!.granted, Effect.void)
      }
    }

    // A freed slot is granted a moment later: the stages its holder's completion makes ready
    // (usually the ones on the critical path) get to queue first.
    const release = Effect.sync(() => {
      free++
    }).pipe(Effect.zipRight(Effect.forkDaemon(Effect.sleep(GRANT_DELAY).pipe(Effect.zipRight(Effect.sync(dispatch))))), Effect.asVoid)

    const acquire = (priority: number) =>
      Effect.gen(function* () {
        const waiter: Waiter = { priority, order: arrivals++, granted: yield* Deferred.make<void>() }
        let at = queue.findIndex((w) => w.priority < priority)
        if (at < 0) at = queue.length
        queue.splice(at, 0, waiter)
        // Stages that became ready at the same moment (their common upstream just finished) queue
        // up before any slot is granted, so the free slots go by priority, not by wake-up order.
        yield* Effect.yieldNow().pipe(
          Effect.zipRight(Effect.sync(dispatch)),
          Effect.zipRight(Deferred.await(waiter.granted)),
          Effect.onInterrupt(() =>
            Effect.suspend(() => {
              const i = queue.indexOf(waiter)
              if (i >= 0) {
                queue.splice(i, 1)
                return Effect.void
              }
              return release // granted in the meantime: pass the slot on
            })
          )
        )
      })

    return {
      withSlot: (priority) => (effect) =>
        Effect.uninterruptibleMask((restore) => Effect.zipRight(restore(acquire(priority)), restore(effect).pipe(Effect.ensuring(release))))
    }
  })

/** Each stage's height: 0 for a stage nothing depends on, else 1 + the largest height among its dependents. */
export const stageHeights = (stages: ReadonlyArray<{ readonly id: string; readonly needs: ReadonlyArray<string> }>): Map<string, number> => {
  const dependents = new Map<string, Array<string>>()
  for (const s of stages) for (const n of s.needs) dependents.set(n, [...(dependents.get(n) ?? []), s.id])
  const heights = new Map<string, number>()
  const heightOf = (id: string): number => {
    const known = heights.get(id)
    if (known !== undefined) return known
    const h = Math.max(-1, ...(dependents.get(id) ?? []).map(heightOf)) + 1
    heights.set(id, h)
    return h
  }
  for (const s of stages) heightOf(s.id)
  return heights
}
