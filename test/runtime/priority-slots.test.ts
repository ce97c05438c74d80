/** Run slots go to the highest priority waiting; interrupted waiters leave the queue; heights. */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import { makePrioritySlots, stageHeights } from "../../src/runtime/run/priority-slots.js"

describe("priority slots", () => {
  it.live("a freed slot goes to the highest priority waiting, ties in arrival order", () =>
    Effect.gen(function* () {
      const slots = yield* makePrioritySlots(1)
      const order: Array<string> = []
      const hold = yield* Deferred.make<void>()
      const holder = yield* Effect.fork(slots.withSlot(0)(Deferred.await(hold)))
      yield* Effect.yieldNow()
      const waiters: Array<Fiber.RuntimeFiber<void>> = []
      for (const [name, priority] of [["low", 1], ["high", 5], ["mid", 3], ["high-later", 5]] as const) {
        waiters.push(yield* Effect.fork(slots.withSlot(priority)(Effect.sync(() => void order.push(name)))))
        yield* Effect.yieldNow()
      }
      expect(order).toEqual([])
      yield* Deferred.succeed(hold, undefined)
      yield* Fiber.join(holder)
      for (const w of waiters) yield* Fiber.join(w)
      expect(order).toEqual(["high", "high-later", "mid", "low"])
    })
  )

  it.live("an interrupted waiter leaves the queue and the slot still goes round", () =>
    Effect.gen(function* () {
      const slots = yield* makePrioritySlots(1)
      const order: Array<string> = []
      const hold = yield* Deferred.make<void>()
      const holder = yield* Effect.fork(slots.withSlot(0)(Deferred.await(hold)))
      yield* Effect.yieldNow()
      const gone = yield* Effect.fork(slots.withSlot(9)(Effect.sync(() => void order.push("gone"))))
      const stays = yield* Effect.fork(slots.withSlot(1)(Effect.sync(() => void order.push("stays"))))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(gone)
      yield* Deferred.succeed(hold, undefined)
      yield* Fiber.join(holder)
      yield* Fiber.join(stays)
      expect(order).toEqual(["stays"])
      // Every slot came back: two more run at once on a 1-slot pool only one after the other.
      yield* slots.withSlot(0)(Effect.void)
    })
  )

  it("heights: a stage nothing depends on is 0, else one more than its tallest dependent", () => {
    const heights = stageHeights([
      { id: "profiles", needs: [] },
      { id: "vectors", needs: ["profiles"] },
      { id: "embeddings", needs: ["profiles"] },
      { id: "clusters", needs: ["embeddings"] },
      { id: "index", needs: ["embeddings", "clusters"] },
      { id: "report", needs: ["index", "vectors"] }
    ])
    expect(Object.fromEntries(heights)).toEqual({ profiles: 4, vectors: 1, embeddings: 3, clusters: 2, index: 1, report: 0 })
  })
})
