/**
 * The worker thread's entry (run as dist/layers/workers/worker-main.js). Decodes each request with
 * Schema, runs the task, and replies with its output, transferring its buffers.
 */
import { parentPort } from "node:worker_threads"
import { Either, Schema } from "effect"
import { TaskReply, TaskRequest } from "./messages.js"
import { runTaskHere, taskSchemas, type TaskInput, type TaskName } from "./tasks.js"

const decodeRequest = Schema.decodeUnknownEither(TaskRequest)
const encodeReply = (reply: TaskReply): TaskReply => reply

const port = parentPort
if (port === null) throw new Error("worker-main.js must run as a worker thread")

port.on("message", (raw: unknown) => {
  const request = decodeRequest(raw)
  if (Either.isLeft(request)) {
    const id = typeof raw === "object" && raw !== null && typeof (raw as { id?: unknown }).id === "number" ? (raw as { id: number }).id : -1
    port.postMessage(encodeReply({ _tag: "Failed", id, message: `bad request: ${request.left.message}` }))
    return
  }
  const { id, task, input } = request.right
  try {
    if (!(task in taskSchemas)) throw new Error(`unknown task '${task}'; known: ${Object.keys(taskSchemas).join(", ")}`)
    const name = task as TaskName
    const decoded = Schema.decodeUnknownEither(taskSchemas[name].input as Schema.Schema<TaskInput<TaskName>, unknown>)(input)
    if (Either.isLeft(decoded)) throw new Error(`invalid input: ${decoded.left.message}`)
    const result = runTaskHere(name, decoded.right)
    port.postMessage(encodeReply({ _tag: "Done", id, output: result.value }), result.transfer)
  } catch (error) {
    port.postMessage(encodeReply({ _tag: "Failed", id, message: error instanceof Error ? error.message : String(error) }))
  }
})
