/** The exhaustive results shared by the match stages of a process: computed once, never a hang. */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import { memoizedExhaustive } from "../../src/stages/profiles/match-exhaustive.js"

describe("shared exhaustive results", () => {
  it.live("concurrent callers with the same key compute once and all get the result", () =>
    Effect.gen(function* () {
      let computed = 0
      const gate = yield* Deferred.make<void>()
      const work = Effect.gen(function* () {
        computed++
        yield* Deferred.await(gate)
        return [1, 2, 3]
      })
      const key = `same-${Math.random()}`
      const first = yield* Effect.fork(memoizedExhaustive(key, work))
      yield* Effect.yieldNow()
      const second = yield* Effect.fork(memoizedExhaustive(key, work))
      yield* Effect.yieldNow()
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.join(first)).toEqual({ value: [1, 2, 3], computed: true })
      expect(yield* Fiber.join(second)).toEqual({ value: [1, 2, 3], computed: false })
      expect(computed).toBe(1)
    })
  )

  it.live("a failure is not kept: the next caller computes again", () =>
    Effect.gen(function* () {
      const key = `fails-${Math.random()}`
      const failed = yield* Effect.flip(memoizedExhaustive(key, Effect.fail("boom")))
      expect(failed).toBe("boom")
      expect(yield* memoizedExhaustive(key, Effect.succeed(7))).toEqual({ value: 7, computed: true })
    })
  )

  it.live("when the computing fiber is interrupted, a waiter computes itself instead of hanging", () =>
    Effect.gen(function* () {
      const key = `interrupted-${Math.random()}`
      const first = yield* Effect.fork(memoizedExhaustive(key, Effect.never))
      yield* Effect.yieldNow()
      const waiter = yield* Effect.fork(memoizedExhaustive(key, Effect.succeed("mine")))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(first)
      expect(yield* Fiber.join(waiter)).toEqual({ value: "mine", computed: true })
    })
  )
})
