/**
 * The `ChunkTask` entity of `@effect/cluster`: one persisted RPC, `Run`, that carries a worker
 * task's module URL, name and Schema-encoded input, and replies with its encoded output. The
 * driver (cluster-pool.ts) sends every task run as one message; a runner (chunk-runner.ts)
 * serves it.
 *
 * Why the values travel as bytes: a task's encoded side is whatever the structured clone carries
 * (typed arrays, ArrayBuffers, Maps), but the engine persists messages as JSON (in PostgreSQL, and
 * the in-memory storage round-trips them through JSON too). `node:v8`'s serializer is the structured
 * clone's own format, so a value survives exactly as it does between threads; base64 makes the
 * bytes JSON-safe. The fields are plain strings that we encode with Node's native base64, not
 * `Schema.Uint8ArrayFromBase64`: the engine encodes a reply with its Schema once for storage and
 * once for the socket, and that Schema's JavaScript base64 made ~1 GB of garbage per 7 MB chunk
 * (a runner spent 9 s of 11 in GC for five chunks; measured with --trace-gc and --cpu-prof).
 */
import { deserialize, serialize } from "node:v8"
import { deflateRawSync, inflateRawSync } from "node:zlib"
import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { Schema } from "effect"
import type { WorkerTaskFailure } from "../errors.js"

const FAILURES = ["UnknownModule", "UnknownTask", "InvalidInput", "TaskFailed", "InvalidOutput", "WorkerLost", "PoolClosed"] as const satisfies ReadonlyArray<WorkerTaskFailure>

/** A task's failure as it crosses the engine: the WorkerTaskError's fields, less its cause. */
export class ChunkTaskFailed extends Schema.TaggedError<ChunkTaskFailed>()("ChunkTaskFailed", {
  task: Schema.String,
  reason: Schema.Literal(...FAILURES),
  message: Schema.String
}) {}

/**
 * The sharded entity. Its id decides the shard (so the runner); the pool uses the caller's chunk
 * key when there is one, so the same chunk always lands on the same entity and a second send of
 * it is recognised as a duplicate (its primary key is the task's name) and answered from storage.
 * Persisted: a message outlives the runner it was sent to and is delivered again to the runner
 * that takes over its shard.
 */
export const ChunkTask = Entity.make("ChunkTask", [
  Rpc.make("Run", {
    payload: {
      module: Schema.String,
      task: Schema.String,
      /** toWire's base64. */
      input: Schema.String
    },
    success: Schema.String,
    error: ChunkTaskFailed,
    primaryKey: ({ task }) => task
  })
]).annotateRpcs(ClusterSchema.Persisted, true)

/** Below this, a payload is sent as it is: compressing it saves nothing worth the time. */
const COMPRESS_FROM = 64 * 1024
/** A sample compressing worse than this (floats of random-looking embeddings: 0.93) is sent raw. */
const WORTH_IT = 0.8

/**
 * Encodes a structured-cloneable value as text (throws on a value the clone refuses, e.g. a
 * function): `v` + base64 of its v8 bytes, or `z` + base64 of them deflated (level 1) when a 64 KiB
 * sample shows they compress. Every byte of a reply is then copied, escaped, stored and parsed
 * several times by the engine and PostgreSQL; a chunk's SQLite rows deflate to 24 % in 45 ms and
 * feature vectors to 14 % (10,000-profile chunks, measured).
 */
export const toWire = (value: unknown): string => {
  const bytes = serialize(value)
  if (bytes.length >= COMPRESS_FROM) {
    const sample = deflateRawSync(bytes.subarray(0, COMPRESS_FROM), { level: 1 })
    if (sample.length < WORTH_IT * COMPRESS_FROM) return `z${deflateRawSync(bytes, { level: 1 }).toString("base64")}`
  }
  return `v${bytes.toString("base64")}`
}

/**
 * Decodes text made by `toWire` (throws on text that is not). Node's deserializer makes typed
 * arrays views into the one decoded buffer (for small messages, Buffer's shared 8 KiB pool), so
 * `values.buffer` would hold other values' bytes; each view gets a buffer of its own, as a typed
 * array has after crossing threads, so that a stage reading `.buffer` behaves the same on any pool.
 */
export const fromWire = (text: string): unknown => {
  const kind = text[0]
  if (kind !== "v" && kind !== "z") throw new Error(`not a chunk payload (it starts with ${JSON.stringify(text.slice(0, 8))})`)
  const encoded = Buffer.from(text.slice(1), "base64")
  const bytes = kind === "z" ? inflateRawSync(encoded) : encoded
  return ownBuffers(deserialize(bytes), bytes.buffer, new Set())
}

const ownBuffers = (value: unknown, shared: ArrayBufferLike, seen: Set<object>): unknown => {
  if (typeof value !== "object" || value === null) return value
  if (ArrayBuffer.isView(value)) {
    if (value.buffer !== shared) return value
    if (value instanceof DataView) return new DataView(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength))
    return (value as unknown as { slice: () => unknown }).slice()
  }
  if (seen.has(value)) return value
  seen.add(value)
  if (value instanceof Map) {
    for (const [k, v] of value) value.set(k, ownBuffers(v, shared, seen))
  } else if (value instanceof Set) {
    const items = [...value]
    value.clear()
    for (const item of items) value.add(ownBuffers(item, shared, seen))
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = ownBuffers(value[i], shared, seen)
  } else if (!(value instanceof ArrayBuffer)) {
    const record = value as Record<string, unknown>
    for (const key of Object.keys(record)) record[key] = ownBuffers(record[key], shared, seen)
  }
  return value
}
