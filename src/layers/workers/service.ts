/**
 * The `WorkerPool` service: runs worker tasks (src/runtime/worker-task.ts) off the calling fiber
 * and returns their results as Effects. At most `size` tasks run at once; more wait in a FIFO
 * queue. The pool knows nothing of what tasks do: a task names the module that exports it, and its
 * Schemas say what crosses the thread boundary. Results depend only on the task's input, never on
 * the pool's size or the order tasks finish in.
 *
 * Layers: `WorkerPoolThreads.layer({ size })` (worker_threads, transferable buffers),
 * `WorkerPoolInline.layer` (the same tasks on the calling thread, for tests) and
 * `WorkerPoolCluster` (runners on other processes or hosts, through @effect/cluster: cluster/).
 */
import { Context, type Effect } from "effect"
import type { WorkerTask } from "../../runtime/worker-task.js"
import type { WorkerTaskError } from "./errors.js"

/** What stages and artifact modules call. */
export interface WorkerPoolService {
  /** How many tasks may run at once (1 for the inline pool). */
  readonly size: number
  /**
   * True when tasks may run on another machine (the cluster pool): they can neither read nor write
   * the caller's files, so a stage sends the data a task needs in its input and takes what it
   * makes from its output. Absent or false: tasks share the caller's filesystem (threads, inline).
   */
  readonly remote?: boolean
  /**
   * Runs `task` with `input` (encoded and decoded with the task's Schemas on the way). Fails with
   * a WorkerTaskError naming the task: unknown module or task, invalid input or output, a throw in
   * the task, a worker that died. Interrupting the Effect drops a queued task and ignores a running
   * one's late reply.
   */
  readonly run: <I, O>(task: WorkerTask<I, O>, input: NoInfer<I>) => Effect.Effect<O, WorkerTaskError>
}

/** The WorkerPool service's Tag. */
export class WorkerPool extends Context.Tag("pipeline/WorkerPool")<WorkerPool, WorkerPoolService>() {}
