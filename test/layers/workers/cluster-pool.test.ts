/**
 * The cluster-backed WorkerPool on @effect/cluster's in-memory engine (memory message and runner
 * storage, one runner in this process, messages round-tripped through JSON as the SQL storage
 * would): results equal the inline pool's for every shipped task under concurrency; failures are
 * WorkerTaskErrors naming the task; a runner's local threads pool does the work off its event
 * loop; a keyed chunk sent twice runs once; and a message whose runner dies mid-task is delivered
 * again to the runner that takes over (at-least-once), answering the caller that re-sends it.
 */
import { MessageStorage, RunnerHealth, Runners, RunnerStorage, Sharding, ShardingConfig } from "@effect/cluster"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Layer, Schedule, Scope } from "effect"
import { WorkerPoolCluster } from "../../../src/layers/workers/cluster/index.js"
import { WorkerPoolInline } from "../../../src/layers/workers/inline.js"
import { WorkerPool } from "../../../src/layers/workers/service.js"
import { WorkerPoolThreads } from "../../../src/layers/workers/threads.js"
import { HangOnce, Runs, Tally } from "./cluster-tasks.js"
import { everyShippedTask, failuresNameTheTask, unknownTasksNameTheTask } from "./pool-contract.js"
import { Where } from "./test-tasks.js"

// Short polls so that a live-clock test does not wait the engine's production intervals (seconds);
// no assertion depends on them.
const engineConfig = ShardingConfig.layer({
  entityMessagePollInterval: "50 millis",
  entityReplyPollInterval: "20 millis",
  refreshAssignmentsInterval: "50 millis",
  entityTerminationTimeout: 0
})

/** The engine's storage, kept apart so that it can outlive a runner (the redelivery test). */
const storage = MessageStorage.layerMemory.pipe(Layer.provide(engineConfig))

/** One process that is both driver and runner, on the storage it is given. */
const node = (local: Layer.Layer<WorkerPool, unknown>, size = 4) =>
  Layer.merge(WorkerPoolCluster.layer({ size }), WorkerPoolCluster.runner().pipe(Layer.provide(local))).pipe(
    Layer.provide(
      Sharding.layer.pipe(
        Layer.provideMerge(Runners.layerNoop),
        Layer.provide([RunnerStorage.layerMemory, RunnerHealth.layerNoop]),
        Layer.provide(engineConfig)
      )
    )
  )

const cluster = (local: Layer.Layer<WorkerPool, unknown> = WorkerPoolInline.layer, size = 4) => node(local, size).pipe(Layer.provideMerge(storage))

/** The persisted `Run` requests whose primary key mentions `text` (the in-memory journal). */
const keyedRequests = (driver: MessageStorage.MemoryDriver, text: string) =>
  [...driver.requestsByPrimaryKey.keys()].filter((key) => key.includes(text))

const runAll = everyShippedTask

describe("WorkerPoolCluster (in-memory engine)", () => {
  it.live("gives the inline pool's results for every shipped task, many in flight at once", () =>
    Effect.gen(function* () {
      const inline = yield* Effect.provide(runAll, WorkerPoolInline.layer)
      expect(inline.chunks).toHaveLength(5)
      expect(yield* Effect.provide(runAll, cluster(WorkerPoolInline.layer, 2))).toEqual(inline)
      expect(yield* Effect.provide(runAll, cluster(WorkerPoolInline.layer, 16))).toEqual(inline)
    }).pipe(Effect.scoped)
  )

  it.live("a runner runs the tasks on its local threads pool, off its event loop", () =>
    Effect.gen(function* () {
      const p = yield* WorkerPool
      expect(yield* p.run(Where, { n: 21 })).toMatchObject({ doubled: 42, mainThread: false })
    }).pipe(Effect.scoped, Effect.provide(cluster(WorkerPoolThreads.layer({ size: 1 }))))
  )

  it.live("failures are WorkerTaskErrors naming the task; the pool keeps working", () =>
    Effect.all([failuresNameTheTask, unknownTasksNameTheTask]).pipe(Effect.scoped, Effect.provide(cluster()))
  )

  it.live("a keyed chunk sent twice runs once: the second send is answered from storage", () =>
    Effect.gen(function* () {
      const p = yield* WorkerPool
      const first = yield* WorkerPoolCluster.withChunkKey("stage-key-1", 0)(p.run(Tally, "dedupe"))
      const again = yield* WorkerPoolCluster.withChunkKey("stage-key-1", 0)(p.run(Tally, "dedupe"))
      expect(first).toEqual({ id: "dedupe", run: 1 })
      expect(again).toEqual(first)
      expect(yield* p.run(Runs, "tally:dedupe")).toBe(1)
      // One persisted message, addressed to the chunk's entity, keyed by the task's name.
      expect(keyedRequests(yield* MessageStorage.MemoryDriver, "stage-key-1")).toEqual(["ChunkTask/stage-key-1/0/Run/cluster-test/tally"])
      // Another chunk of the same stage is another message, and unkeyed calls are never deduplicated.
      expect(yield* WorkerPoolCluster.withChunkKey("stage-key-1", 1)(p.run(Tally, "dedupe"))).toEqual({ id: "dedupe", run: 2 })
      expect(yield* p.run(Tally, "dedupe")).toEqual({ id: "dedupe", run: 3 })
    }).pipe(Effect.scoped, Effect.provide(cluster()))
  )

  it.live("a message whose runner dies mid-task is delivered again to the runner that takes over", () =>
    Effect.gen(function* () {
      const kept = yield* Layer.build(storage)
      const withKey = WorkerPoolCluster.withChunkKey("stage-key-2", 7)

      // Runner 1 takes the chunk and never finishes it (HangOnce's first run), then goes away.
      const first = yield* Scope.make()
      const pool1 = yield* Layer.buildWithScope(node(WorkerPoolInline.layer), first).pipe(Effect.provide(kept))
      const p1 = Layer.succeedContext(pool1)
      const caller = yield* Effect.forkDaemon(withKey(Effect.flatMap(WorkerPool, (p) => p.run(HangOnce, "chunk"))).pipe(Effect.provide(p1)))
      yield* Effect.flatMap(WorkerPool, (p) => p.run(Runs, "hang:chunk")).pipe(
        Effect.provide(p1),
        Effect.repeat({ until: (n) => n >= 1, schedule: Schedule.spaced("10 millis") })
      )
      yield* Scope.close(first, Exit.void)
      yield* Fiber.interruptFork(caller)
      // The message outlived its runner: persisted, never answered.
      const driver = MessageStorage.MemoryDriver.pipe(Effect.provide(kept))
      const [unanswered] = keyedRequests(yield* driver, "stage-key-2")
      expect(unanswered).toBe("ChunkTask/stage-key-2/7/Run/cluster-test/hang-once")
      expect((yield* driver).requestsByPrimaryKey.get(unanswered!)!.replies).toEqual([])

      // Runner 2, on the same storage, is given the unprocessed message again; the driver's
      // re-send of the same chunk is a duplicate and gets the reply of that second delivery.
      const result = yield* withKey(Effect.flatMap(WorkerPool, (p) => p.run(HangOnce, "chunk"))).pipe(Effect.provide(node(WorkerPoolInline.layer)), Effect.provide(kept))
      expect(result).toBe("CHUNK")
      // It ran twice in all: at-least-once, which is why a task's result may depend on its input only.
      expect(yield* Effect.flatMap(WorkerPool, (p) => p.run(Runs, "hang:chunk")).pipe(Effect.provide(node(WorkerPoolInline.layer)), Effect.provide(kept))).toBe(2)
    }).pipe(Effect.scoped)
  )

  it.live("an interrupted call returns at once and the pool keeps working", () =>
    Effect.gen(function* () {
      const p = yield* WorkerPool
      const hung = yield* Effect.fork(p.run(HangOnce, "interrupted"))
      yield* p.run(Runs, "hang:interrupted").pipe(Effect.repeat({ until: (n) => n >= 1, schedule: Schedule.spaced("10 millis") }))
      expect(Exit.isInterrupted(yield* Fiber.interrupt(hung))).toBe(true)
      expect(yield* p.run(Tally, "after-interrupt")).toEqual({ id: "after-interrupt", run: 1 })
    }).pipe(Effect.scoped, Effect.provide(cluster()))
  )

  it.live("size must be at least 1", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Effect.scoped(Effect.provide(WorkerPool, cluster(WorkerPoolInline.layer, 0))))
      expect(error).toMatchObject({ _tag: "WorkerPoolError" })
      expect(String((error as { message: string }).message)).toMatch(/size/)
    })
  )
})
