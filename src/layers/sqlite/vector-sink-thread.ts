/**
 * A vector sink's thread (run as dist/layers/sqlite/vector-sink-thread.js): owns one
 * VectorSinkCore and answers each request in order. After a failure it refuses further writes, so
 * a chunk is never committed after an earlier one failed.
 */
import { parentPort } from "node:worker_threads"
import { Either, Schema } from "effect"
import { openVectorSinkCore, type VectorSinkCore } from "./vector-sink-core.js"
import { SinkReply, SinkRequest } from "./vector-sink-messages.js"

const port = parentPort
if (port === null) throw new Error("vector-sink-thread.js must run as a worker thread")

const decodeRequest = Schema.decodeUnknownEither(SinkRequest)
const reply = (message: SinkReply): void => port.postMessage(message)
let sink: VectorSinkCore | null = null
let failed: string | null = null

const handle = (request: SinkRequest): string | null => {
  switch (request._tag) {
    case "Open":
      if (sink !== null) throw new Error("the sink is already open")
      sink = openVectorSinkCore(request.spec)
      return null
    case "Write":
      if (sink === null) throw new Error("write before open")
      return sink.write(request)
    case "Finish":
      if (sink === null) throw new Error("finish before open")
      sink.finish()
      return null
    case "Close":
      sink?.close()
      sink = null
      return null
  }
}

port.on("message", (raw: unknown) => {
  const request = decodeRequest(raw)
  if (Either.isLeft(request)) return reply({ _tag: "Failed", message: `bad request: ${request.left.message}` })
  if (failed !== null && request.right._tag !== "Close") return reply({ _tag: "Failed", message: `an earlier request failed: ${failed}` })
  try {
    reply({ _tag: "Done", digest: handle(request.right) })
  } catch (error) {
    failed = error instanceof Error ? error.message : String(error)
    reply({ _tag: "Failed", message: failed })
  }
})
