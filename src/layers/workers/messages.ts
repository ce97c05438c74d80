/**
 * Messages between the pool and its workers, decoded with Schema on both sides. The task input and
 * output travel as `unknown` here and are decoded with the task's own schemas (tasks.ts).
 */
import { Schema } from "effect"

export const TaskRequest = Schema.Struct({
  _tag: Schema.Literal("Run"),
  id: Schema.Int,
  task: Schema.String,
  input: Schema.Unknown
})
export type TaskRequest = typeof TaskRequest.Type

export const TaskReply = Schema.Union(
  Schema.Struct({ _tag: Schema.Literal("Done"), id: Schema.Int, output: Schema.Unknown }),
  Schema.Struct({ _tag: Schema.Literal("Failed"), id: Schema.Int, message: Schema.String })
)
export type TaskReply = typeof TaskReply.Type
