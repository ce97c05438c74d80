/**
 * `WorkerPoolThreads.layer({ size })`: `size` worker_threads running worker-main.js. Scoped: the
 * workers start when the layer is built and are terminated when its scope closes. Each request
 * carries the task's module URL and name and its Schema-encoded input; the reply's output is
 * decoded with the task's output Schema. Tasks beyond `size` wait in a FIFO queue; an interrupted
 * task is dropped from the queue (or its late reply ignored). A worker that dies fails its task
 * and is replaced.
 */
import { Worker } from "node:worker_threads"
import { Effect, Either, Layer, Schema } from "effect"
import type { WorkerTask } from "../../runtime/worker-task.js"
import { WorkerPoolError, WorkerTaskError } from "./errors.js"
import { type TaskReply, TaskReply as TaskReplySchema, type TaskRequest } from "./messages.js"
import { WorkerPool, type WorkerPoolService } from "./service.js"
import { workerScriptPath } from "./worker-script.js"

interface Job {
  readonly id: number
  readonly task: string
  readonly module: string
  readonly input: unknown
  readonly done: (result: Either.Either<unknown, WorkerTaskError>) => void
  cancelled: boolean
}

interface Slot {
  worker: Worker
  job: Job | null
}

const decodeReply = Schema.decodeUnknownEither(TaskReplySchema)

const makePool = (script: string, size: number) => {
  const queue: Job[] = []
  const slots: Slot[] = []
  let nextId = 0
  let closed = false

  const settle = (slot: Slot, result: Either.Either<unknown, WorkerTaskError>): void => {
    const job = slot.job
    slot.job = null
    if (job !== null && !job.cancelled) job.done(result)
    dispatch()
  }

  const spawn = (slot: Slot): Worker => {
    const worker = new Worker(script)
    worker.on("message", (raw: unknown) => {
      const job = slot.job
      if (job === null) return
      const reply: Either.Either<TaskReply, { message: string }> = decodeReply(raw)
      if (Either.isLeft(reply)) {
        const message = `task '${job.task}': undecodable reply: ${reply.left.message}`
        settle(slot, Either.left(new WorkerTaskError({ task: job.task, reason: "InvalidOutput", message })))
      } else if (reply.right._tag === "Failed") {
        settle(slot, Either.left(new WorkerTaskError({ task: job.task, reason: reply.right.reason, message: reply.right.message })))
      } else {
        settle(slot, Either.right(reply.right.output))
      }
    })
    const lost = (why: string) => {
      if (closed) return
      const job = slot.job
      slot.job = null
      if (job !== null && !job.cancelled) {
        job.done(Either.left(new WorkerTaskError({ task: job.task, reason: "WorkerLost", message: `task '${job.task}': ${why}` })))
      }
      slot.worker = spawn(slot)
      dispatch()
    }
    worker.on("error", (error) => lost(`worker failed: ${error.message}`))
    worker.on("exit", (code) => {
      if (slot.worker === worker) lost(`worker exited with code ${code}`)
    })
    return worker
  }

  const dispatch = (): void => {
    if (closed) return
    for (const slot of slots) {
      if (slot.job !== null) continue
      let job = queue.shift()
      while (job !== undefined && job.cancelled) job = queue.shift()
      if (job === undefined) return
      slot.job = job
      slot.worker.postMessage({ _tag: "Run", id: job.id, module: job.module, task: job.task, input: job.input } satisfies TaskRequest)
    }
  }

  for (let i = 0; i < size; i++) {
    const slot: Slot = { worker: undefined as unknown as Worker, job: null }
    slot.worker = spawn(slot)
    slots.push(slot)
  }

  const run = <I, O>(task: WorkerTask<I, O>, input: I): Effect.Effect<O, WorkerTaskError> =>
    Effect.flatMap(
      Schema.encode(task.input)(input).pipe(
        Effect.mapError(
          (cause) => new WorkerTaskError({ task: task.name, reason: "InvalidInput", message: `task '${task.name}': invalid input: ${cause.message}`, cause })
        )
      ),
      (encoded) => post(task, encoded)
    )

  const post = <I, O>(task: WorkerTask<I, O>, input: unknown): Effect.Effect<O, WorkerTaskError> =>
    Effect.async<unknown, WorkerTaskError>((resume) => {
      if (closed) {
        resume(Effect.fail(new WorkerTaskError({ task: task.name, reason: "PoolClosed", message: `task '${task.name}': the worker pool is closed` })))
        return
      }
      const job: Job = {
        id: nextId++,
        task: task.name,
        module: task.module,
        input,
        cancelled: false,
        done: (result) => resume(Either.isLeft(result) ? Effect.fail(result.left) : Effect.succeed(result.right))
      }
      queue.push(job)
      dispatch()
      return Effect.sync(() => {
        job.cancelled = true
      })
    }).pipe(
      Effect.flatMap((output) =>
        Schema.decodeUnknown(task.output)(output).pipe(
          Effect.mapError(
            (cause) => new WorkerTaskError({ task: task.name, reason: "InvalidOutput", message: `task '${task.name}': invalid output: ${cause.message}`, cause })
          )
        )
      )
    )

  const close = async (): Promise<void> => {
    closed = true
    for (const job of queue.splice(0)) {
      if (!job.cancelled) job.done(Either.left(new WorkerTaskError({ task: job.task, reason: "PoolClosed", message: `task '${job.task}': the worker pool closed` })))
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()))
  }

  const service: WorkerPoolService = { size, run }
  return { service, close }
}

/** Options of `WorkerPoolThreads.layer`. */
export interface WorkerPoolThreadsOptions {
  /** Number of worker threads (>= 1). */
  readonly size: number
}

/** The worker_threads pool. */
export const WorkerPoolThreads = {
  /** A scoped pool of `size` threads; fails with WorkerPoolError when the size is bad or dist/ is not built. */
  layer: (options: WorkerPoolThreadsOptions): Layer.Layer<WorkerPool, WorkerPoolError> =>
    Layer.scoped(
      WorkerPool,
      Effect.gen(function* () {
        if (!Number.isInteger(options.size) || options.size < 1) {
          return yield* new WorkerPoolError({ message: `worker pool size must be an integer >= 1, got ${options.size}` })
        }
        const script = workerScriptPath()
        if ("error" in script) return yield* new WorkerPoolError({ message: script.error })
        const pool = yield* Effect.acquireRelease(
          Effect.try({
            try: () => makePool(script.path, options.size),
            catch: (cause) => new WorkerPoolError({ message: `cannot start workers: ${String(cause)}`, cause })
          }),
          (pool) => Effect.promise(() => pool.close())
        )
        return pool.service
      })
    )
}
