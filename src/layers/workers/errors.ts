/** Errors of the WorkerPool service. */
import { Data } from "effect"

/** A task failed inside a worker (bad input, a throw in the task) or its reply could not be decoded. */
export class WorkerTaskError extends Data.TaggedError("WorkerTaskError")<{
  readonly task: string
  readonly message: string
  readonly cause?: unknown
}> {}

/** The pool could not start (missing worker script, a worker that died or failed to load). */
export class WorkerPoolError extends Data.TaggedError("WorkerPoolError")<{
  readonly message: string
  readonly cause?: unknown
}> {}
