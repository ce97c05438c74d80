/**
 * The runner's side of the ChunkTask entity: finds the task by (module URL, name) in the same
 * registry the worker threads use (task-modules.ts), decodes the input with the task's Schema and
 * runs it on the runner's local WorkerPool. That pool is the threads pool in a real runner, so
 * CPU-heavy work stays off the event loop that refreshes the runner's shard locks; the inline pool
 * in tests.
 */
import { type Duration, Effect, Either, Layer, Schema } from "effect"
import type { Sharding } from "@effect/cluster"
import type { WorkerTask } from "../../../runtime/worker-task.js"
import type { WorkerTaskError } from "../errors.js"
import { WorkerPool } from "../service.js"
import { findTask } from "../task-modules.js"
import { failed } from "../task-runner.js"
import { ChunkTask, ChunkTaskFailed, fromWire, toWire } from "./chunk-entity.js"

const failure = (task: string, outcome: { readonly reason: ChunkTaskFailed["reason"]; readonly message: string }) =>
  new ChunkTaskFailed({ task, reason: outcome.reason, message: outcome.message })

const fromTaskError = (error: WorkerTaskError) => failure(error.task, error)

/** Runs one `Run` message: every failure is a ChunkTaskFailed naming the task, never a defect. */
const runMessage = (pool: WorkerPool["Type"], payload: { readonly module: string; readonly task: string; readonly input: Uint8Array }) =>
  Effect.gen(function* () {
    const found = yield* Effect.promise(() => findTask(payload.module, payload.task))
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
}

/** Registers the ChunkTask entity with Sharding; tasks run on the WorkerPool this layer is given. */
export const chunkRunnerLayer = (options: ChunkRunnerOptions = {}): Layer.Layer<never, never, Sharding.Sharding | WorkerPool> =>
  ChunkTask.toLayer(
    Effect.map(WorkerPool, (pool) =>
      ChunkTask.of({
        Run: (request) => runMessage(pool, request.payload)
      })
    ),
    { concurrency: options.concurrency ?? 1, maxIdleTime: options.maxIdleTime ?? "5 seconds" }
  )
