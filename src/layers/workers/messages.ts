/**
 * Messages between the pool and its workers, decoded with Schema on both sides. A task's input and
 * output travel as `unknown` here and are decoded with the task's own Schemas.
 */
import { Schema } from "effect"

const Failure = Schema.Literal("UnknownModule", "UnknownTask", "InvalidInput", "TaskFailed", "InvalidOutput", "WorkerLost", "PoolClosed")

/** Run task `task` exported by module URL `module` with the encoded `input`. */
export const TaskRequest = Schema.Struct({
  _tag: Schema.Literal("Run"),
  id: Schema.Int,
  module: Schema.String,
  task: Schema.String,
  input: Schema.Unknown
})
export type TaskRequest = typeof TaskRequest.Type

/** The encoded output (its buffers moved, not copied), or why the task failed. */
export const TaskReply = Schema.Union(
  Schema.Struct({ _tag: Schema.Literal("Done"), id: Schema.Int, output: Schema.Unknown }),
  Schema.Struct({ _tag: Schema.Literal("Failed"), id: Schema.Int, reason: Failure, message: Schema.String })
)
export type TaskReply = typeof TaskReply.Type
