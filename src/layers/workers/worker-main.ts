/**
 * The worker thread's entry (run as dist/layers/workers/worker-main.js). For each request it finds
 * the task (importing its module on first use: task-modules.ts), runs it (task-runner.ts) and
 * replies with the encoded output, moving the buffers the task lists instead of copying them.
 * Requests are handled one at a time: the pool sends a worker its next task only after the reply.
 */
import { parentPort } from "node:worker_threads"
import { Either, Schema } from "effect"
import { TaskReply, TaskRequest } from "./messages.js"
import { findTask } from "./task-modules.js"
import { runTask, type TaskOutcome } from "./task-runner.js"

const decodeRequest = Schema.decodeUnknownEither(TaskRequest)

const port = parentPort
if (port === null) throw new Error("worker-main.js must run as a worker thread")

const reply = (id: number, outcome: TaskOutcome): void => {
  if (outcome._tag === "Done") {
    try {
      port.postMessage({ _tag: "Done", id, output: outcome.output } satisfies TaskReply, outcome.transfer)
      return
    } catch (error) {
      const message = `its output cannot be posted: ${error instanceof Error ? error.message : String(error)}`
      port.postMessage({ _tag: "Failed", id, reason: "InvalidOutput", message } satisfies TaskReply)
      return
    }
  }
  port.postMessage({ _tag: "Failed", id, reason: outcome.reason, message: outcome.message } satisfies TaskReply)
}

port.on("message", (raw: unknown) => {
  const request = decodeRequest(raw)
  if (Either.isLeft(request)) {
    const id = typeof raw === "object" && raw !== null && typeof (raw as { id?: unknown }).id === "number" ? (raw as { id: number }).id : -1
    port.postMessage({ _tag: "Failed", id, reason: "InvalidInput", message: `bad request: ${request.left.message}` } satisfies TaskReply)
    return
  }
  const { id, module, task: name, input } = request.right
  void findTask(module, name).then(async (task) => reply(id, task._tag === "Failed" ? task : await runTask(task, input)))
})
