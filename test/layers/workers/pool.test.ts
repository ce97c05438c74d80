/**
 * The WorkerPool over typed tasks: the threads pool (sizes 1 and 2) and the inline pool give
 * identical results for the same input whatever the order or concurrency; a task module written
 * in TypeScript outside src/ (test-tasks.ts, as a user's would be) loads in the workers; every
 * failure is a WorkerTaskError naming the task (a throw, bad input or output, an unknown module or
 * task, a worker that died, which is replaced); an interrupted task does not disturb the next one;
 * output buffers move instead of being copied.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Schema } from "effect"
import { generateChunk } from "../../../src/domain/profile/index.js"
import { WorkerPool } from "../../../src/layers/workers/service.js"
import { defineWorkerTask } from "../../../src/runtime/worker-task.js"
import { poolLayer, type PoolChoice } from "./data-pipeline.js"
import { CHUNK, everyShippedTask, failuresNameTheTask, hex, unknownTasksNameTheTask } from "./pool-contract.js"
import { Count, Exit, Fill, LastFillMoved, Later, Sleep, Where } from "./test-tasks.js"

/** Every shipped task through the chosen pool. */
const runAll = (pool: PoolChoice) => everyShippedTask.pipe(Effect.scoped, Effect.provide(poolLayer(pool)))

describe("WorkerPool", () => {
  it.live("threads (1 and 2) and inline give identical results for every shipped task", () =>
    Effect.gen(function* () {
      const inline = yield* runAll("inline")
      expect(inline.chunks).toHaveLength(5)
      expect(inline.chunks[0]!.codes).toBe(hex(generateChunk(7, 0, 1, CHUNK, "pt_BR").buffer))
      expect(yield* runAll(1)).toEqual(inline)
      expect(yield* runAll(2)).toEqual(inline)
    })
  )

  it.live("a task module written in TypeScript outside src/ loads in the workers", () =>
    Effect.gen(function* () {
      const threads = yield* Effect.provide(
        Effect.flatMap(WorkerPool, (p) => Effect.all([p.run(Where, { n: 21 }), p.run(Later, "shout")])),
        poolLayer(2)
      )
      expect(threads[0]).toMatchObject({ doubled: 42, mainThread: false })
      expect(threads[1]).toBe("SHOUT")
      const inline = yield* Effect.provide(
        Effect.flatMap(WorkerPool, (p) => p.run(Where, { n: 21 })),
        poolLayer("inline")
      )
      expect(inline).toMatchObject({ doubled: 42, mainThread: true })
    }).pipe(Effect.scoped)
  )

  it.live.each(["inline", 2] as const)("failures are WorkerTaskErrors naming the task; the pool keeps working (%s)", (pool) =>
    failuresNameTheTask.pipe(Effect.scoped, Effect.provide(poolLayer(pool)))
  )

  it.live.each(["inline", 1] as const)("an unknown module and a task its module does not export fail naming the task (%s)", (pool) =>
    unknownTasksNameTheTask.pipe(Effect.scoped, Effect.provide(poolLayer(pool)))
  )

  it.live("a worker that dies fails its task and is replaced", () =>
    Effect.gen(function* () {
      const p = yield* WorkerPool
      const before = yield* p.run(Where, { n: 1 })
      const died = yield* Effect.flip(p.run(Exit, 3))
      expect(died).toMatchObject({ task: "test/exit", reason: "WorkerLost" })
      expect(died.message).toMatch(/exited with code 3/)
      const after = yield* p.run(Where, { n: 2 })
      expect(after.doubled).toBe(4)
      expect(after.threadId).not.toBe(before.threadId)
    }).pipe(Effect.scoped, Effect.provide(poolLayer(1)))
  )

  it.live("an interrupted task: a running one's late reply is ignored, a queued one never runs", () =>
    Effect.gen(function* () {
      const p = yield* WorkerPool
      expect(yield* p.run(Count, undefined)).toBe(1)
      const running = yield* Effect.fork(p.run(Sleep, 2000))
      const queued = yield* Effect.fork(p.run(Count, undefined))
      yield* Effect.sleep("50 millis")
      const started = Date.now()
      yield* Fiber.interrupt(queued)
      yield* Fiber.interrupt(running)
      // Interruption does not wait for the worker to finish: it returns long before the sleep ends
      // (the margin is wide so that a loaded machine does not fail it).
      expect(Date.now() - started).toBeLessThan(1000)
      // The next task gets its own reply (not the sleeper's), and the queued Count never ran.
      expect(yield* p.run(Count, undefined)).toBe(2)
    }).pipe(Effect.scoped, Effect.provide(poolLayer(1)))
  )

  it.live("output buffers listed by `transfer` move to the caller without a copy", () =>
    Effect.gen(function* () {
      const p = yield* WorkerPool
      const values = yield* p.run(Fill, { length: 1 << 20, value: 0.25 })
      expect(values.length).toBe(1 << 20)
      expect(values[12345]).toBe(0.25)
      // The worker's own view on the buffer is detached: the bytes left its thread.
      expect(yield* p.run(LastFillMoved, undefined)).toBe(true)
    }).pipe(Effect.scoped, Effect.provide(poolLayer(1)))
  )

  it.live("size must be at least 1", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Effect.scoped(Effect.provide(WorkerPool, poolLayer(0))))
      expect(String((error as { message: string }).message)).toMatch(/size/)
    })
  )
})

describe("defineWorkerTask", () => {
  it("wants a namespaced name and a module URL", () => {
    const base = { module: import.meta.url, input: Schema.Void, output: Schema.Void, run: () => undefined }
    expect(() => defineWorkerTask({ ...base, name: "plain" })).toThrow(/namespaced/)
    expect(() => defineWorkerTask({ ...base, name: "a/b", module: "./relative.ts" })).toThrow(/import\.meta\.url/)
    expect(defineWorkerTask({ ...base, name: "mine/task" })).toMatchObject({ _tag: "WorkerTask", name: "mine/task", module: import.meta.url })
  })
})
