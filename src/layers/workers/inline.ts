/**
 * `WorkerPoolInline.layer`: runs tasks on the calling thread, for tests. As on the threads pool,
 * the task's module must export it (checked once per module by importing it: a task a module
 * forgot to export fails here too, not only in production), and the input and output are encoded
 * and decoded with the task's Schemas, so a task whose Schemas do not fit its values fails here
 * too. Only the copying between threads differs.
 */
import { Effect, Either, Layer, Schema } from "effect"
import { workerTasksOf, type WorkerTask } from "../../runtime/worker-task.js"
import { WorkerTaskError } from "./errors.js"
import { WorkerPool } from "./service.js"
import { runTask, unknownTask } from "./task-runner.js"

/** Task names each module exports, by module URL. */
const exported = new Map<string, Promise<ReadonlySet<string>>>()

const exportedBy = (url: string): Promise<ReadonlySet<string>> => {
  let names = exported.get(url)
  if (names === undefined) {
    names = (import(url) as Promise<Readonly<Record<string, unknown>>>).then((module) => new Set(workerTasksOf(module).keys()))
    names.catch(() => exported.delete(url))
    exported.set(url, names)
  }
  return names
}

const checkExported = (task: WorkerTask<unknown, unknown>): Effect.Effect<void, WorkerTaskError> =>
  Effect.tryPromise({
    try: () => exportedBy(task.module),
    catch: (cause) =>
      new WorkerTaskError({
        task: task.name,
        reason: "UnknownModule",
        message: `task '${task.name}': cannot load its module ${task.module}: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause
      })
  }).pipe(
    Effect.filterOrFail(
      (names) => names.has(task.name),
      (names) => {
        const { reason, message } = unknownTask(task.name, task.module, [...names])
        return new WorkerTaskError({ task: task.name, reason, message })
      }
    ),
    Effect.asVoid
  )

const runInline = <I, O>(task: WorkerTask<I, O>, input: I): Effect.Effect<O, WorkerTaskError> =>
  Effect.gen(function* () {
    yield* checkExported(task as WorkerTask<unknown, unknown>)
    const encoded = Schema.encodeEither(task.input)(input)
    if (Either.isLeft(encoded)) {
      return yield* new WorkerTaskError({ task: task.name, reason: "InvalidInput", message: `task '${task.name}': invalid input: ${encoded.left.message}`, cause: encoded.left })
    }
    const outcome = yield* Effect.promise(() => runTask(task as WorkerTask<unknown, unknown>, encoded.right))
    if (outcome._tag === "Failed") {
      return yield* new WorkerTaskError({ task: task.name, reason: outcome.reason, message: outcome.message, cause: outcome.cause })
    }
    return yield* Schema.decodeUnknown(task.output)(outcome.output).pipe(
      Effect.mapError((cause) => new WorkerTaskError({ task: task.name, reason: "InvalidOutput", message: `task '${task.name}': invalid output: ${cause.message}`, cause }))
    )
  })

/** The inline pool's layer (size 1). */
export const WorkerPoolInline = {
  layer: Layer.succeed(WorkerPool, { size: 1, run: runInline })
}
