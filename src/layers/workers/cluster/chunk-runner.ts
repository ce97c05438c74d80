/**
 * The runner's side of the ChunkTask entity: finds the task by (module URL, name) in the same
 * registry the worker threads use (task-modules.ts), decodes the input with the task's Schema and
 * runs it on the runner's local WorkerPool. That pool is the threads pool in a real runner, so
 * CPU-heavy work stays off the event loop that refreshes the runner's shard locks; the inline pool
 * in tests.
 */
import { type Duration, Effect, Either, Layer, Schema } from "effect"
import { Entity, type Sharding } from "@effect/cluster"
import type { WorkerTask } from "../../../runtime/worker-task.js"
import type { WorkerTaskError } from "../errors.js"
import { WorkerPool } from "../service.js"
import { findTask } from "../task-modules.js"
import { failed } from "../task-runner.js"
import { ChunkTask, ChunkTaskFailed, fromWire, toWire } from "./chunk-entity.js"

const failure = (task: string, outcome: { readonly reason: ChunkTaskFailed["reason"]; readonly message: string }) =>
  new ChunkTaskFailed({ task, reason: outcome.reason, message: outcome.message })

const fromTaskError = (error: WorkerTaskError) => failure(error.task, error)

/** A task this runner serves by name, whatever module URL the driver sent (its install may differ). */
export interface ServedTask {
  readonly name: string
  /** The module's URL on this runner. */
  readonly module: string
}

/** Runs one `Run` message: every failure is a ChunkTaskFailed naming the task, never a defect. */
const runMessage = (
  pool: WorkerPool["Type"],
  served: ReadonlyMap<string, string>,
  payload: { readonly module: string; readonly task: string; readonly input: string }
) =>
  Effect.gen(function* () {
    // The driver's module URL is a path on the driver's host; a task this runner knows by name is
    // imported from its own install instead, so hosts need not share an install path.
    const found = yield* Effect.promise(() => findTask(served.get(payload.task) ?? payload.module, payload.task))
    if (found._tag === "Failed") return yield* failure(payload.task, found)
    const task: WorkerTask<unknown, unknown> = found
    const wire = Either.try(() => fromWire(payload.input))
    if (Either.isLeft(wire)) {
      return yield* failure(task.name, failed(task.name, "InvalidInput", `undecodable bytes: ${String(wire.left)}`))
    }
    const input = Schema.decodeUnknownEither(task.input)(wire.right)
    if (Either.isLeft(input)) return yield* failure(task.name, failed(task.name, "InvalidInput", input.left.message))
    const output = yield* pool.run(task, input.right).pipe(Effect.mapError(fromTaskError))
    // The local pool decoded the output; encode it again for the wire (the driver decodes it once more).
    const encoded = Schema.encodeUnknownEither(task.output)(output)
    if (Either.isLeft(encoded)) return yield* failure(task.name, failed(task.name, "InvalidOutput", encoded.left.message))
    const bytes = Either.try(() => toWire(encoded.right))
    if (Either.isLeft(bytes)) {
      return yield* failure(task.name, failed(task.name, "InvalidOutput", `cannot serialize: ${String(bytes.left)}`))
    }
    return bytes.right
  })

/** Options of the runner layer. */
export interface ChunkRunnerOptions {
  /**
   * How many messages one entity runs at once. Each chunk key is its own entity, so this only
   * matters for unkeyed calls that share one; the runner's real bound is its local pool's size.
   */
  readonly concurrency?: number
  /**
   * How long an idle entity instance is kept (default 5 seconds). Each keyed chunk is an entity
   * that receives one message, so the engine's default of a minute only holds memory.
   */
  readonly maxIdleTime?: Duration.DurationInput
  /**
   * Tasks resolved by name to this runner's own modules (the shipped tasks and those of the user
   * modules it was given); others are imported from the URL the driver sent.
   */
  readonly tasks?: ReadonlyArray<ServedTask>
  /** Called after each message: the entity id (`<stage cache key>/<chunk>`), the task, how it ended and how long it took. */
  readonly onMessage?: (done: { readonly entityId: string; readonly task: string; readonly ok: boolean; readonly ms: number }) => Effect.Effect<void>
}

/** Registers the ChunkTask entity with Sharding; tasks run on the WorkerPool this layer is given. */
export const chunkRunnerLayer = (options: ChunkRunnerOptions = {}): Layer.Layer<never, never, Sharding.Sharding | WorkerPool> =>
  ChunkTask.toLayer(
    Effect.gen(function* () {
      const pool = yield* WorkerPool
      const address = yield* Entity.CurrentAddress
      const served = new Map((options.tasks ?? []).map((t) => [t.name, t.module] as const))
      const onMessage = options.onMessage
      return ChunkTask.of({
        Run: (request) => {
          const run = runMessage(pool, served, request.payload)
          if (onMessage === undefined) return run
          const started = performance.now()
          return run.pipe(
            Effect.onExit((exit) =>
              onMessage({ entityId: address.entityId, task: request.payload.task, ok: exit._tag === "Success", ms: performance.now() - started })
            )
          )
        }
      })
    }),
    { concurrency: options.concurrency ?? 1, maxIdleTime: options.maxIdleTime ?? "5 seconds" }
  )
