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
import { Deferred, Effect } from "effect"

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

    const release = Effect.sync(() => {
      const next = queue.shift()
      if (next === undefined) free++
      else Deferred.unsafeDone(next.granted, Effect.void)
    })

    const acquire = (priority: number) =>
      Effect.gen(function* () {
        if (free > 0 && queue.length === 0) {
          free--
          return
        }
        const waiter: Waiter = { priority, order: arrivals++, granted: yield* Deferred.make<void>() }
        let at = queue.findIndex((w) => w.priority < priority)
        if (at < 0) at = queue.length
        queue.splice(at, 0, waiter)
        yield* Deferred.await(waiter.granted).pipe(
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
