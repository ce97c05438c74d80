/**
 * Running one worker task from its encoded input to its encoded output, the same way on a worker
 * thread (worker-main.ts) and inline (inline.ts): decode the input with the task's Schema, run,
 * encode the output, and list the buffers to move. Every failure names the task.
 */
import { Either, Schema } from "effect"
import type { WorkerTask } from "../../runtime/worker-task.js"
import type { WorkerTaskFailure } from "./errors.js"

/** A task's encoded output and the buffers to move with it, or why it failed. */
export type TaskOutcome =
  | { readonly _tag: "Done"; readonly output: unknown; readonly transfer: Array<ArrayBuffer> }
  | FailedOutcome

/** Why a task did not complete, with a message naming it. */
export interface FailedOutcome {
  readonly _tag: "Failed"
  readonly reason: WorkerTaskFailure
  readonly message: string
  readonly cause?: unknown
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** A failed outcome for `task`. */
export const failed = (task: string, reason: WorkerTaskFailure, detail: string, cause?: unknown): FailedOutcome => {
  const message =
    reason === "TaskFailed"
      ? `task '${task}' failed: ${detail}`
      : reason === "InvalidInput"
        ? `task '${task}': invalid input: ${detail}`
        : reason === "InvalidOutput"
          ? `task '${task}': invalid output: ${detail}`
          : `task '${task}': ${detail}`
  return cause === undefined ? { _tag: "Failed", reason, message } : { _tag: "Failed", reason, message, cause }
}

/** The failure of a task that module `url` does not export (`known`: the tasks it does). */
export const unknownTask = (name: string, url: string, known: ReadonlyArray<string>): FailedOutcome =>
  failed(
    name,
    "UnknownTask",
    `module ${url} exports no worker task of that name (${known.length === 0 ? "it exports none" : `it exports: ${[...known].sort().join(", ")}`})`
  )

/** Decodes `input`, runs the task, encodes its output; never throws. */
export const runTask = async (task: WorkerTask<unknown, unknown>, input: unknown): Promise<TaskOutcome> => {
  const decoded = Schema.decodeUnknownEither(task.input)(input)
  if (Either.isLeft(decoded)) return failed(task.name, "InvalidInput", decoded.left.message, decoded.left)
  let output: unknown
  try {
    output = await task.run(decoded.right)
  } catch (error) {
    return failed(task.name, "TaskFailed", messageOf(error), error)
  }
  const encoded = Schema.encodeUnknownEither(task.output)(output)
  if (Either.isLeft(encoded)) return failed(task.name, "InvalidOutput", encoded.left.message, encoded.left)
  let transfer: Array<ArrayBuffer>
  try {
    // postMessage refuses a buffer listed twice.
    transfer = [...new Set(task.transfer(output))]
  } catch (error) {
    return failed(task.name, "TaskFailed", `its transfer list: ${messageOf(error)}`, error)
  }
  return { _tag: "Done", output: encoded.right, transfer }
}
