/**
 * Messages between a stage and its vector sink thread (vector-sink-thread.ts), decoded with Schema
 * on both sides. Requests are answered in order, one reply each.
 */
import { Schema } from "effect"

export const VectorSinkSpecSchema = Schema.Struct({
  dbPath: Schema.String,
  table: Schema.String,
  dim: Schema.Int.pipe(Schema.positive()),
  rows: Schema.Int.pipe(Schema.nonNegative()),
  matrixPath: Schema.String,
  idsPath: Schema.String,
  cacheMiB: Schema.Int.pipe(Schema.positive())
})

export const SinkRequest = Schema.Union(
  Schema.TaggedStruct("Open", { spec: VectorSinkSpecSchema }),
  Schema.TaggedStruct("Write", {
    chunk: Schema.Int.pipe(Schema.nonNegative()),
    firstRow: Schema.Int.pipe(Schema.nonNegative()),
    firstId: Schema.Int.pipe(Schema.nonNegative()),
    values: Schema.instanceOf(Float32Array),
    digest: Schema.NullOr(Schema.String)
  }),
  Schema.TaggedStruct("Finish", {}),
  Schema.TaggedStruct("Close", {})
)
export type SinkRequest = typeof SinkRequest.Type

export const SinkReply = Schema.Union(
  Schema.TaggedStruct("Done", { digest: Schema.NullOr(Schema.String) }),
  Schema.TaggedStruct("Failed", { message: Schema.String })
)
export type SinkReply = typeof SinkReply.Type
