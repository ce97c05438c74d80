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

/** Encodes a structured-cloneable value as base64 text (throws on a value the clone refuses, e.g. a function). */
export const toWire = (value: unknown): string => serialize(value).toString("base64")

/** Decodes text made by `toWire` (throws on text that is not). */
export const fromWire = (text: string): unknown => deserialize(Buffer.from(text, "base64"))
