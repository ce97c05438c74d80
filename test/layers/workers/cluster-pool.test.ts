/**
 * The cluster-backed WorkerPool on @effect/cluster's in-memory engine (memory message and runner
 * storage, one runner in this process, messages round-tripped through JSON as the SQL storage
 * would): results equal the inline pool's for every shipped task under concurrency; failures are
 * WorkerTaskErrors naming the task; a runner's local threads pool does the work off its event
 * loop; a keyed chunk sent twice runs once; and a message whose runner dies mid-task is delivered
 * again to the runner that takes over (at-least-once), answering the caller that re-sends it.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { MessageStorage, RunnerHealth, Runners, RunnerStorage, Sharding, ShardingConfig } from "@effect/cluster"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Layer, Schedule, Schema, Scope } from "effect"
import { DEFAULT_MATCH_CONFIG } from "../../../src/domain/matching/index.js"
import { BYTES_PER_PROFILE, generateChunk } from "../../../src/domain/profile/index.js"
import { ExhaustiveTopTask } from "../../../src/artifacts/exhaustive-top-tasks.js"
import type { CodesFileRef } from "../../../src/artifacts/profile-table-codes.js"
import { WriteProfileChunk } from "../../../src/artifacts/profile-table-tasks.js"
import { ProfileChunkEmbeddings, ProfileChunkFeatures } from "../../../src/artifacts/vector-matrix-writer-tasks.js"
import { WorkerPoolCluster } from "../../../src/layers/workers/cluster/index.js"
import { WorkerPoolInline } from "../../../src/layers/workers/inline.js"
import { WorkerPool } from "../../../src/layers/workers/service.js"
import { WorkerPoolThreads } from "../../../src/layers/workers/threads.js"
import { defineWorkerTask } from "../../../src/runtime/worker-task.js"
import { tempDir } from "../../runtime/harness.js"
import { HangOnce, Runs, Tally } from "./cluster-tasks.js"
import { BadOutput, Fail, Where } from "./test-tasks.js"

const CHUNK = 300
const ROWS = 1_500
const dir = tempDir("cluster-pool-")
const codesPath = join(dir, "profiles.codes")
writeFileSync(
  codesPath,
  Buffer.concat(Array.from({ length: ROWS / CHUNK }, (_, c) => new Uint8Array(generateChunk(7, c, c * CHUNK + 1, CHUNK, "pt_BR").buffer)))
)
const codes: CodesFileRef = { path: codesPath, rows: ROWS, chunkSize: CHUNK, bytesPerProfile: BYTES_PER_PROFILE, seed: 7, locale: "pt_BR" }

const hex = (bytes: ArrayBufferLike | ArrayBufferView) =>
  Buffer.from(ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes)).toString("hex")

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

/** Every shipped task on five chunks, submitted in reverse order, all at once. */
const runAll = Effect.gen(function* () {
  const p = yield* WorkerPool
  const scratch = tempDir("cluster-pool-rows-")
  const results = yield* Effect.forEach(
    [4, 3, 2, 1, 0],
    (chunk) =>
      Effect.all({
        rows: p.run(WriteProfileChunk, { seed: 7, locale: "pt_BR", chunk, firstId: chunk * CHUNK + 1, count: CHUNK, rowsFile: join(scratch, `chunk-${chunk}.sqlite`) }),
        features: p.run(ProfileChunkFeatures, { codes, chunk }),
        embeddings: p.run(ProfileChunkEmbeddings, { codes, chunk, dim: 24, mode: "attributes", seed: 3 })
      }),
    { concurrency: "unbounded" }
  )
  const tops = yield* p.run(ExhaustiveTopTask, { codes, origins: [0, 299, 300, 1499], top: 5, match: DEFAULT_MATCH_CONFIG })
  return {
    chunks: results.reverse().map((r) => ({
      codes: hex(r.rows.codes),
      rowsDigest: r.rows.rowsDigest,
      features: [hex(r.features.values), r.features.digest],
      embeddings: [hex(r.embeddings.values), r.embeddings.digest]
    })),
    tops
  }
})

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
    Effect.gen(function* () {
      const p = yield* WorkerPool
      const thrown = yield* Effect.flip(p.run(Fail, "on purpose"))
      expect(thrown).toMatchObject({ _tag: "WorkerTaskError", task: "test/fail", reason: "TaskFailed" })
      expect(thrown.message).toBe("task 'test/fail' failed: boom: on purpose")
      const badInput = yield* Effect.flip(p.run(Where, { n: 1.5 }))
      expect(badInput).toMatchObject({ task: "test/where", reason: "InvalidInput" })
      expect(badInput.message).toMatch(/^task 'test\/where': invalid input: /)
      const badLocale = yield* Effect.flip(p.run(WriteProfileChunk, { seed: 1, locale: "en_US" as "pt_BR", chunk: 0, firstId: 1, count: 1, rowsFile: "x" }))
      expect(badLocale.message).toMatch(/profiles\/write-chunk.*pt_BR/s)
      const badOutput = yield* Effect.flip(p.run(BadOutput, undefined))
      expect(badOutput).toMatchObject({ task: "test/bad-output", reason: "InvalidOutput" })
      const missing = defineWorkerTask({
        name: "test/missing-module",
        module: new URL("./no-such-module.js", import.meta.url).href,
        input: Schema.Void,
        output: Schema.Void,
        run: () => undefined
      })
      const noModule = yield* Effect.flip(p.run(missing, undefined))
      expect(noModule).toMatchObject({ task: "test/missing-module", reason: "UnknownModule" })
      expect(noModule.message).toMatch(/^task 'test\/missing-module': cannot load its module .*no-such-module\.js/)
      const unexported = defineWorkerTask({ name: "test/unexported", module: Where.module, input: Schema.Void, output: Schema.Void, run: () => undefined })
      const noTask = yield* Effect.flip(p.run(unexported, undefined))
      expect(noTask).toMatchObject({ task: "test/unexported", reason: "UnknownTask" })
      expect(noTask.message).toMatch(/exports no worker task of that name \(it exports: .*test\/where\)/)
      expect((yield* p.run(Where, { n: 2 })).doubled).toBe(4)
    }).pipe(Effect.scoped, Effect.provide(cluster()))
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
