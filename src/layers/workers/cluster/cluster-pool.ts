/**
 * The driver's side: a WorkerPool whose `run` sends the task as one persisted `ChunkTask.Run`
 * message and decodes the reply with the task's output Schema. Where the task runs is the
 * engine's business (the runner that holds the entity's shard); delivery is at-least-once, so a
 * task's result must depend on its input alone (already the rule for every worker task).
 */
import { randomUUID } from "node:crypto"
import { EntityAddress, EntityId, MessageStorage, Sharding } from "@effect/cluster"
import { Data, Deferred, Duration, Effect, Either, FiberRef, Layer, Option, Schedule, Schema, type Scope } from "effect"
import { currentChunkKey } from "../chunk-key.js"
import type { WorkerTask } from "../../../runtime/worker-task.js"
import { WorkerPoolError, WorkerTaskError } from "../errors.js"
import { WorkerPool, type WorkerPoolService } from "../service.js"
import { ChunkTask, fromWire, toWire } from "./chunk-entity.js"

/** Options of `WorkerPoolCluster.layer`. */
export interface WorkerPoolClusterOptions {
  /**
   * How many tasks the driver keeps in flight (>= 1): what stages read as the pool's size to size
   * their windows. About the runners' total threads keeps them busy.
   */
  readonly size: number
  /**
   * Delete a task's message and reply from storage once its reply is in hand (default
   * false). The engine never deletes them itself, and a run's chunks are its data (megabytes
   * each); the cost is that a driver killed between a reply and its commit runs that chunk again
   * instead of reading the stored reply.
   */
  readonly prune?: boolean
  /**
   * How long a send that the engine could not take or keep (storage unreachable, a full mailbox)
   * is retried, with exponential backoff, before the task fails as WorkerLost (default 30 s).
   * Safe: a keyed send is deduplicated by the engine.
   */
  readonly retryFor?: Duration.DurationInput
  /**
   * Completes, with the reason, when the engine can no longer answer (its storage has been
   * unreachable too long): every task in flight or sent afterwards then fails as WorkerLost with
   * that reason. Without it a task whose reply can never be stored would wait forever.
   */
  readonly lost?: Effect.Effect<string>
}

/** The pool's `lost` watcher fired. */
class EngineLost extends Data.TaggedError("EngineLost")<{ readonly reason: string }> {
  override get message(): string {
    return this.reason
  }
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
export const makeClusterPool = (options: WorkerPoolClusterOptions): Effect.Effect<WorkerPoolService, WorkerPoolError, Sharding.Sharding | MessageStorage.MessageStorage | Scope.Scope> =>
  Effect.gen(function* () {
    if (!Number.isInteger(options.size) || options.size < 1) {
      return yield* new WorkerPoolError({ message: `worker pool size must be an integer >= 1, got ${options.size}` })
    }
    const client = yield* ChunkTask.client
    const sharding = yield* Sharding.Sharding
    const storage = options.prune === true ? Option.some(yield* MessageStorage.MessageStorage) : Option.none()
    const retryFor = Duration.decode(options.retryFor ?? "30 seconds")
    const permits = yield* Effect.makeSemaphore(options.size)
    const lostReason = options.lost
    // One watcher for the whole pool (a daemon of the pool's scope), awaited by each task.
    const lost =
      lostReason === undefined
        ? Effect.never
        : yield* Effect.gen(function* () {
            const gone = yield* Deferred.make<string>()
            yield* Effect.forkScoped(Effect.flatMap(lostReason, (reason) => Deferred.succeed(gone, reason)))
            return Effect.flatMap(Deferred.await(gone), (reason) => Effect.fail(new EngineLost({ reason })))
          })
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
        const key = yield* FiberRef.get(currentChunkKey)
        const entityId = Option.getOrElse(key, () => `${driver}/${next++}`)
        const send = client(entityId).Run({ module: task.module, task: task.name, input: bytes.right })
        const reply = yield* permits.withPermits(1)(
          Effect.raceFirst(send, lost).pipe(
            // MailboxFull, AlreadyProcessingMessage, PersistenceError: the engine could not take or
            // keep the message (the task never ran to a result); sending again is safe.
            Effect.retry({
              while: (error) => error._tag !== "ChunkTaskFailed" && error._tag !== "EngineLost",
              schedule: Schedule.exponential("200 millis", 2).pipe(Schedule.either(Schedule.spaced("5 seconds")), Schedule.upTo(retryFor))
            })
          )
        ).pipe(
          Effect.catchAll((error) =>
            error._tag === "ChunkTaskFailed"
              ? Effect.fail(new WorkerTaskError({ task: task.name, reason: error.reason, message: error.message }))
              : error._tag === "EngineLost"
                ? Effect.fail(taskError(task, "WorkerLost", error.reason, error))
                : Effect.fail(
                    taskError(task, "WorkerLost", `the cluster could not deliver it for ${Duration.format(retryFor)}: ${error._tag}: ${error.message}`, error)
                  )
          )
        )
        if (Option.isSome(storage)) {
          const id = EntityId.make(entityId)
          const address = EntityAddress.make({ shardId: sharding.getShardId(id, "default"), entityType: ChunkTask.type, entityId: id })
          // Best effort: a row left behind costs disk, never correctness.
          yield* storage.value.clearAddress(address).pipe(Effect.ignore)
        }
        const value = Either.try(() => fromWire(reply))
        if (Either.isLeft(value)) return yield* taskError(task, "InvalidOutput", `undecodable reply: ${String(value.left)}`, value.left)
        return yield* Schema.decodeUnknown(task.output)(value.right).pipe(
          Effect.mapError((cause) => taskError(task, "InvalidOutput", cause.message, cause))
        )
      })

    return {
      size: options.size,
      remote: true,
      run: <I, O>(task: WorkerTask<I, O>, input: I) => runAny(task as WorkerTask<unknown, unknown>, input) as Effect.Effect<O, WorkerTaskError>
    }
  })

/** The cluster pool's layer: needs Sharding and MessageStorage (an engine client: the test runner, or the PostgreSQL-backed one, engine.ts). */
export const clusterPoolLayer = (options: WorkerPoolClusterOptions): Layer.Layer<WorkerPool, WorkerPoolError, Sharding.Sharding | MessageStorage.MessageStorage> =>
  Layer.scoped(WorkerPool, makeClusterPool(options))
