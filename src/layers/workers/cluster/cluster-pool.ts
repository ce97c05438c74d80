/**
 * The driver's side: a WorkerPool whose `run` sends the task as one persisted `ChunkTask.Run`
 * message and decodes the reply with the task's output Schema. Where the task runs is the
 * engine's business (the runner that holds the entity's shard); delivery is at-least-once, so a
 * task's result must depend on its input alone (already the rule for every worker task).
 */
import { randomUUID } from "node:crypto"
import type { Sharding } from "@effect/cluster"
import { Effect, Either, FiberRef, Layer, Option, Schema } from "effect"
import type { WorkerTask } from "../../../runtime/worker-task.js"
import { WorkerPoolError, WorkerTaskError } from "../errors.js"
import { WorkerPool, type WorkerPoolService } from "../service.js"
import { ChunkTask, fromWire, toWire } from "./chunk-entity.js"

/**
 * The entity id of the calls made inside `withChunkKey`. A FiberRef rather than a parameter of
 * `run`, so that stages keep calling the one WorkerPool interface and other pools ignore it.
 */
const chunkKey = FiberRef.unsafeMake<Option.Option<string>>(Option.none())

/**
 * Runs `self` with its WorkerPool calls keyed by (stage cache key, chunk): on the cluster pool
 * they go to the entity of that key, so a repeated send of the same task (a resumed driver)
 * is answered from storage instead of running again. The key must identify the input: the
 * stage's cache key does. Other pools ignore it.
 */
export const withChunkKey =
  (cacheKey: string, chunk: number) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.locally(self, chunkKey, Option.some(`${cacheKey}/${chunk}`))

/** Options of `WorkerPoolCluster.layer`. */
export interface WorkerPoolClusterOptions {
  /**
   * How many tasks the driver keeps in flight (>= 1): what stages read as the pool's size to size
   * their windows. About the runners' total threads keeps them busy.
   */
  readonly size: number
}

const taskError = (task: WorkerTask<unknown, unknown>, reason: WorkerTaskError["reason"], detail: string, cause?: unknown) =>
  new WorkerTaskError({
    task: task.name,
    reason,
    message:
      reason === "InvalidInput"
        ? `task '${task.name}': invalid input: ${detail}`
        : reason === "InvalidOutput"
          ? `task '${task.name}': invalid output: ${detail}`
          : `task '${task.name}': ${detail}`,
    cause
  })

/** The cluster pool's service, given Sharding (the engine's client side). */
export const makeClusterPool = (options: WorkerPoolClusterOptions): Effect.Effect<WorkerPoolService, WorkerPoolError, Sharding.Sharding> =>
  Effect.gen(function* () {
    if (!Number.isInteger(options.size) || options.size < 1) {
      return yield* new WorkerPoolError({ message: `worker pool size must be an integer >= 1, got ${options.size}` })
    }
    const client = yield* ChunkTask.client
    const permits = yield* Effect.makeSemaphore(options.size)
    // Unkeyed calls get ids unique to this driver, so they spread over the shards and never
    // collide with another driver's.
    const driver = randomUUID()
    let next = 0

    const runAny = (task: WorkerTask<unknown, unknown>, input: unknown): Effect.Effect<unknown, WorkerTaskError> =>
      Effect.gen(function* () {
        const encoded = Schema.encodeEither(task.input)(input)
        if (Either.isLeft(encoded)) return yield* taskError(task, "InvalidInput", encoded.left.message, encoded.left)
        const bytes = Either.try(() => toWire(encoded.right))
        if (Either.isLeft(bytes)) return yield* taskError(task, "InvalidInput", `cannot serialize: ${String(bytes.left)}`, bytes.left)
        const key = yield* FiberRef.get(chunkKey)
        const entityId = Option.getOrElse(key, () => `${driver}/${next++}`)
        const reply = yield* permits.withPermits(1)(client(entityId).Run({ module: task.module, task: task.name, input: bytes.right })).pipe(
          Effect.catchAll((error) =>
            error._tag === "ChunkTaskFailed"
              ? Effect.fail(new WorkerTaskError({ task: task.name, reason: error.reason, message: error.message }))
              : // MailboxFull, AlreadyProcessingMessage, PersistenceError: the engine could not take
                // or keep the message; the task itself never ran to a result.
                Effect.fail(taskError(task, "WorkerLost", `the cluster could not deliver it: ${error._tag}: ${error.message}`, error))
          )
        )
        const value = Either.try(() => fromWire(reply))
        if (Either.isLeft(value)) return yield* taskError(task, "InvalidOutput", `undecodable reply: ${String(value.left)}`, value.left)
        return yield* Schema.decodeUnknown(task.output)(value.right).pipe(
          Effect.mapError((cause) => taskError(task, "InvalidOutput", cause.message, cause))
        )
      })

    return {
      size: options.size,
      run: <I, O>(task: WorkerTask<I, O>, input: I) => runAny(task as WorkerTask<unknown, unknown>, input) as Effect.Effect<O, WorkerTaskError>
    }
  })

/** The cluster pool's layer: needs Sharding (an engine client: the test runner, or a SQL-backed one). */
export const clusterPoolLayer = (options: WorkerPoolClusterOptions): Layer.Layer<WorkerPool, WorkerPoolError, Sharding.Sharding> =>
  Layer.effect(WorkerPool, makeClusterPool(options))
