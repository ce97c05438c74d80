/**
 * Worker tasks defined in a test module, as a user's would be: a TypeScript file outside src/,
 * which the threads pool's workers load through tsx. Each probes one behaviour of the pool.
 */
import { isMainThread, threadId } from "node:worker_threads"
import { Schema } from "effect"
import { defineWorkerTask } from "../../../src/runtime/worker-task.js"

/** Where it ran, and its input doubled: proves the module loaded in a worker. */
export const Where = defineWorkerTask({
  name: "test/where",
  module: import.meta.url,
  input: Schema.Struct({ n: Schema.Int }),
  output: Schema.Struct({ doubled: Schema.Int, mainThread: Schema.Boolean, threadId: Schema.Int }),
  run: ({ n }) => ({ doubled: 2 * n, mainThread: isMainThread, threadId })
})

/** Async work is awaited. */
export const Later = defineWorkerTask({
  name: "test/later",
  module: import.meta.url,
  input: Schema.String,
  output: Schema.String,
  run: async (text) => {
    await new Promise((resolve) => setTimeout(resolve, 5))
    return text.toUpperCase()
  }
})

/** Throws. */
export const Fail = defineWorkerTask({
  name: "test/fail",
  module: import.meta.url,
  input: Schema.String,
  output: Schema.Void,
  run: (why) => {
    throw new Error(`boom: ${why}`)
  }
})

/** Ends its worker thread with `code`. */
export const Exit = defineWorkerTask({
  name: "test/exit",
  module: import.meta.url,
  input: Schema.Int,
  output: Schema.Void,
  run: (code) => {
    process.exit(code)
  }
})

/** Blocks its thread for `ms` milliseconds, then returns them. */
export const Sleep = defineWorkerTask({
  name: "test/sleep",
  module: import.meta.url,
  input: Schema.Int,
  output: Schema.Int,
  run: (ms) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
    return ms
  }
})

let runs = 0

/** How many times this task has run in this thread (a worker's state, for the queue tests). */
export const Count = defineWorkerTask({
  name: "test/count",
  module: import.meta.url,
  input: Schema.Void,
  output: Schema.Int,
  run: () => ++runs
})

let lastFilled: Float32Array<ArrayBuffer> | null = null

/** `length` floats equal to `value`, moved to the caller; the worker keeps a view on them. */
export const Fill = defineWorkerTask({
  name: "test/fill",
  module: import.meta.url,
  input: Schema.Struct({ length: Schema.Int, value: Schema.Number }),
  output: Schema.instanceOf(Float32Array),
  run: ({ length, value }) => {
    lastFilled = new Float32Array(length).fill(value)
    return lastFilled
  },
  transfer: (values) => [values.buffer as ArrayBuffer]
})

/** Whether the last Fill's buffer left this thread (detached: byteLength 0) rather than being copied. */
export const LastFillMoved = defineWorkerTask({
  name: "test/last-fill-moved",
  module: import.meta.url,
  input: Schema.Void,
  output: Schema.Boolean,
  run: () => lastFilled !== null && lastFilled.buffer.byteLength === 0
})

/** Returns what its output Schema refuses. */
export const BadOutput = defineWorkerTask({
  name: "test/bad-output",
  module: import.meta.url,
  input: Schema.Void,
  output: Schema.Int,
  run: () => 0.5
})
