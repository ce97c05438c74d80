/**
 * `WorkerPoolThreads.layer({ size })`: `size` worker_threads running worker-main.js. Scoped: the
 * workers start when the layer is built and are terminated when its scope closes. Tasks beyond
 * `size` wait in a FIFO queue; an interrupted task is dropped from the queue (or its late reply
 * ignored). A worker that dies fails its task and is replaced.
 */
import { Worker } from "node:worker_threads"
import { Effect, Either, Layer, Schema } from "effect"
import { WorkerPoolError, WorkerTaskError } from "./errors.js"
import { TaskReply } from "./messages.js"
import { WorkerPool, type WorkerPoolService } from "./service.js"
import { taskSchemas, type TaskInput, type TaskName, type TaskOutput } from "./tasks.js"
import { workerScriptPath } from "./worker-script.js"

interface Job {
  readonly id: number
  readonly task: TaskName
  readonly input: unknown
  readonly done: (result: Either.Either<unknown, WorkerTaskError>) => void
  cancelled: boolean
}

interface Slot {
  worker: Worker
  job: Job | null
}

const decodeReply = Schema.decodeUnknownEither(TaskReply)

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
      const reply = decodeReply(raw)
      if (Either.isLeft(reply)) {
        settle(slot, Either.left(new WorkerTaskError({ task: job.task, message: `undecodable reply: ${reply.left.message}` })))
      } else if (reply.right._tag === "Failed") {
        settle(slot, Either.left(new WorkerTaskError({ task: job.task, message: reply.right.message })))
      } else {
        settle(slot, Either.right(reply.right.output))
      }
    })
    const lost = (why: string) => {
      if (closed) return
      const job = slot.job
      slot.job = null
      if (job !== null && !job.cancelled) job.done(Either.left(new WorkerTaskError({ task: job.task, message: why })))
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
      slot.worker.postMessage({ _tag: "Run", id: job.id, task: job.task, input: job.input })
    }
  }

  for (let i = 0; i < size; i++) {
    const slot: Slot = { worker: undefined as unknown as Worker, job: null }
    slot.worker = spawn(slot)
    slots.push(slot)
  }

  const run = <K extends TaskName>(name: K, input: TaskInput<K>): Effect.Effect<TaskOutput<K>, WorkerTaskError> =>
    Effect.async<unknown, WorkerTaskError>((resume) => {
      if (closed) {
        resume(Effect.fail(new WorkerTaskError({ task: name, message: "the worker pool is closed" })))
        return
      }
      const job: Job = {
        id: nextId++,
        task: name,
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
        Schema.decodeUnknown(taskSchemas[name].output as Schema.Schema<TaskOutput<K>, unknown>)(output).pipe(
          Effect.mapError((cause) => new WorkerTaskError({ task: name, message: `undecodable output: ${cause.message}`, cause }))
        )
      )
    )

  const close = async (): Promise<void> => {
    closed = true
    for (const job of queue.splice(0)) {
      if (!job.cancelled) job.done(Either.left(new WorkerTaskError({ task: job.task, message: "the worker pool closed" })))
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()))
  }

  const service: WorkerPoolService = { size, run }
  return { service, close }
}

export interface WorkerPoolThreadsOptions {
  /** Number of worker threads (>= 1). */
  readonly size: number
}

export const WorkerPoolThreads = {
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
