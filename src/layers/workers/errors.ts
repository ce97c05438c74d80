/** Errors of the WorkerPool service. */
import { Data } from "effect"

/**
 * Why a task failed:
 * - `UnknownModule`: the task's module could not be imported in the worker;
 * - `UnknownTask`: the module loaded but exports no worker task of that name;
 * - `InvalidInput`: the input does not decode with the task's input Schema;
 * - `TaskFailed`: the task threw (or its Promise rejected);
 * - `InvalidOutput`: the output does not encode or decode with the task's output Schema;
 * - `WorkerLost`: the worker thread died while running it (it is replaced);
 * - `PoolClosed`: the pool was shut down before the task ran.
 */
export type WorkerTaskFailure = "UnknownModule" | "UnknownTask" | "InvalidInput" | "TaskFailed" | "InvalidOutput" | "WorkerLost" | "PoolClosed"

/** A task failed; `message` names the task and says why. */
export class WorkerTaskError extends Data.TaggedError("WorkerTaskError")<{
  /** The task's name (`profiles/write-chunk`). */
  readonly task: string
  readonly reason: WorkerTaskFailure
  readonly message: string
  readonly cause?: unknown
}> {}

/** The pool could not start (missing worker script, a bad size). */
export class WorkerPoolError extends Data.TaggedError("WorkerPoolError")<{
  readonly message: string
  readonly cause?: unknown
}> {}
