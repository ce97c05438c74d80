/**
 * Worker tasks: typed, pure requests that a `WorkerPool` runs off the calling fiber, in the manner
 * of `@effect/platform`'s `SerializedWorkerPool` over `Schema.TaggedRequest`.
 *
 * A task is a value made by `defineWorkerTask` and **exported** from the module that owns it:
 *
 * ```ts
 * export const Double = defineWorkerTask({
 *   name: "mine/double",
 *   module: import.meta.url,
 *   input: Schema.Struct({ values: Schema.instanceOf(Float32Array) }),
 *   output: Schema.instanceOf(Float32Array),
 *   run: ({ values }) => values.map((v) => 2 * v),
 *   transfer: (out) => [out.buffer as ArrayBuffer]
 * })
 * // in a stage: const doubled = yield* (yield* WorkerPool).run(Double, { values })
 * ```
 *
 * The threads pool posts `{ module, task: name, input }` (input encoded with the task's Schema) to a
 * worker thread, which imports `module` once, finds the exported task with that `name`, decodes the
 * input, runs it and replies with the encoded output, moving the buffers `transfer` lists instead of
 * copying them; the pool decodes the output with the task's Schema. A TypeScript module (`.ts`) is
 * loaded through `tsx` in the worker, so users' task modules need no build step. The inline pool
 * (tests) runs the same `run` on the calling thread after the same decoding.
 *
 * A task's result must depend on its input alone: which worker ran it, in what order, or the
 * pool's size must never change it. Reading files named in the input is fine; state kept between
 * tasks may only be a cache of such reads.
 */
import type { Schema } from "effect"

/** Namespaced task names: `owner/task`, e.g. `profiles/write-chunk`. */
const TASK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)+$/

/**
 * A typed request a worker runs: its name, the module that exports it, the Schemas of its input and
 * output (they decide what crosses the thread boundary), the computation, and the output's buffers
 * to move rather than copy.
 */
export interface WorkerTask<I, O> {
  /** Brand by which a worker finds tasks among a module's exports. */
  readonly _tag: "WorkerTask"
  /** Namespaced name, unique within its module (`profiles/write-chunk`). */
  readonly name: string
  /** URL of the module that exports this task (its `import.meta.url`); workers import it. */
  readonly module: string
  /**
   * Input Schema. Its encoded side is whatever the structured clone carries (typed arrays and
   * ArrayBuffers included); the worker decodes, so a task never sees unchecked input.
   */
  readonly input: Schema.Schema<I, unknown>
  /** Output Schema; the pool decodes every reply with it. */
  readonly output: Schema.Schema<O, unknown>
  /** The computation, given decoded input. May return a Promise. */
  readonly run: (input: I) => O | Promise<O>
  /** The output's ArrayBuffers that move to the caller's thread without a copy (none by default). */
  readonly transfer: (output: O) => ReadonlyArray<ArrayBuffer>
}

/** What `defineWorkerTask` takes. */
export interface WorkerTaskDefinition<I, IE, O, OE> {
  /** Namespaced name (`owner/task`), unique within `module`. */
  readonly name: string
  /** `import.meta.url` of the defining module, which must export the task. */
  readonly module: string
  readonly input: Schema.Schema<I, IE>
  readonly output: Schema.Schema<O, OE>
  readonly run: (input: I) => O | Promise<O>
  readonly transfer?: (output: O) => ReadonlyArray<ArrayBuffer>
}

/**
 * Declares a worker task. Throws (a programming error, at module load) when the name is not
 * namespaced or `module` is not a URL.
 */
export const defineWorkerTask = <I, IE, O, OE>(definition: WorkerTaskDefinition<I, IE, O, OE>): WorkerTask<I, O> => {
  if (!TASK_NAME.test(definition.name)) {
    throw new Error(`worker task name '${definition.name}' must be namespaced, like 'owner/task'`)
  }
  if (!URL.canParse(definition.module)) {
    throw new Error(`worker task '${definition.name}': module must be a URL (pass import.meta.url), got '${definition.module}'`)
  }
  return {
    _tag: "WorkerTask",
    name: definition.name,
    module: definition.module,
    // Widening the encoded side to unknown is sound here: encoded values only ever go to the
    // structured clone, and decoding always starts from unknown.
    input: definition.input as unknown as Schema.Schema<I, unknown>,
    output: definition.output as unknown as Schema.Schema<O, unknown>,
    run: definition.run,
    transfer: definition.transfer ?? (() => [])
  }
}

/** Whether a value (e.g. one of a module's exports) is a worker task. */
export const isWorkerTask = (value: unknown): value is WorkerTask<unknown, unknown> =>
  typeof value === "object" &&
  value !== null &&
  (value as { _tag?: unknown })._tag === "WorkerTask" &&
  typeof (value as { name?: unknown }).name === "string" &&
  typeof (value as { run?: unknown }).run === "function"

/** The worker tasks among a module's exports, by name. */
export const workerTasksOf = (exports: Readonly<Record<string, unknown>>): ReadonlyMap<string, WorkerTask<unknown, unknown>> => {
  const tasks = new Map<string, WorkerTask<unknown, unknown>>()
  for (const value of Object.values(exports)) if (isWorkerTask(value)) tasks.set(value.name, value)
  return tasks
}
