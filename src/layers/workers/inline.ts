/** `WorkerPoolInline.layer`: runs tasks on the calling thread. Same results as the threads pool. */
import { Effect, Layer, Schema } from "effect"
import { WorkerTaskError } from "./errors.js"
import { WorkerPool } from "./service.js"
import { runTaskHere, taskSchemas, type TaskInput, type TaskName, type TaskOutput } from "./tasks.js"

const runInline = <K extends TaskName>(name: K, input: TaskInput<K>): Effect.Effect<TaskOutput<K>, WorkerTaskError> =>
  Effect.gen(function* () {
    const schema = taskSchemas[name]?.input as Schema.Schema<TaskInput<K>, unknown> | undefined
    if (schema === undefined) return yield* new WorkerTaskError({ task: name, message: `unknown task '${name}'` })
    const decoded = yield* Schema.decodeUnknown(schema)(input).pipe(
      Effect.mapError((cause) => new WorkerTaskError({ task: name, message: `invalid input: ${cause.message}`, cause }))
    )
    return yield* Effect.try({
      try: () => runTaskHere(name, decoded).value,
      catch: (cause) => new WorkerTaskError({ task: name, message: cause instanceof Error ? cause.message : String(cause), cause })
    })
  })

export const WorkerPoolInline = {
  layer: Layer.succeed(WorkerPool, { size: 1, run: runInline })
}
