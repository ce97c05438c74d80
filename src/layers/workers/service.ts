/**
 * The `WorkerPool` service: runs named pure tasks (tasks.ts) off the calling fiber and returns their
 * results as Effects. At most `size` tasks run at once; more wait in a queue. Results depend only
 * on the task input, never on the pool's size or the order tasks finish in.
 *
 * Layers: `WorkerPoolThreads.layer({ size })` (worker_threads, transferable buffers) and
 * `WorkerPoolInline.layer` (same tasks on the calling thread, for unit tests).
 */
import { Context, type Effect } from "effect"
import type { WorkerTaskError } from "./errors.js"
import type { TaskInput, TaskName, TaskOutput } from "./tasks.js"

export interface WorkerPoolService {
  /** How many tasks may run at once (1 for the inline pool). */
  readonly size: number
  /** Runs task `name` with `input`; fails with WorkerTaskError when the task throws or replies badly. */
  readonly run: <K extends TaskName>(name: K, input: TaskInput<K>) => Effect.Effect<TaskOutput<K>, WorkerTaskError>
}

export class WorkerPool extends Context.Tag("pipeline/WorkerPool")<WorkerPool, WorkerPoolService>() {}
