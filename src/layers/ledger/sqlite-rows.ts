/**
 * Schemas of the ledger's SQLite rows and their mapping to the contract's records. Rows are
 * decoded, not cast: a file edited by hand or written by a buggy version fails with a LedgerError
 * that names the table, instead of handing a stage a malformed record.
 */
import { Effect, ParseResult, Schema } from "effect"
import { LedgerError } from "../../runtime/errors.js"
import type {
  ArtifactRecord,
  AttemptRecord,
  AttemptStatus,
  KeyMaterial,
  LedgerEvent,
  RunRecord,
  RunStatus
} from "../../runtime/services/run-ledger.js"
import type { FileCheck } from "../../runtime/services/artifact-store.js"
import type { ChunkRecord } from "../../runtime/services/checkpoint.js"

const RunStatusSchema: Schema.Schema<RunStatus> = Schema.Literal(
  "running",
  "succeeded",
  "failed",
  "interrupted",
  "crashed"
)
const AttemptStatusSchema: Schema.Schema<AttemptStatus> = Schema.Literal(
  "running",
  "succeeded",
  "failed",
  "timed-out",
  "interrupted",
  "crashed"
)

const KeyMaterialSchema: Schema.Schema<KeyMaterial> = Schema.Struct({
  kind: Schema.String,
  version: Schema.Number,
  config: Schema.Unknown,
  inputs: Schema.Record({ key: Schema.String, value: Schema.String }),
  layers: Schema.Record({ key: Schema.String, value: Schema.Unknown })
})

/** A JSON text column holding any value; SQL NULL reads as null. */
const JsonUnknown = Schema.NullOr(Schema.parseJson())

const FileCheckSchema: Schema.Schema<FileCheck> = Schema.Struct({
  path: Schema.String,
  size: Schema.Number,
  mtimeMs: Schema.Number,
  sample: Schema.String,
  digest: Schema.String
})

const RunRow = Schema.Struct({
  id: Schema.String,
  pipeline: Schema.String,
  file: Schema.String,
  status: RunStatusSchema,
  started_at: Schema.Number,
  ended_at: Schema.NullOr(Schema.Number),
  pid: Schema.Number,
  argv: Schema.parseJson(Schema.Array(Schema.String))
})

const AttemptRow = Schema.Struct({
  id: Schema.Number,
  run_id: Schema.String,
  stage_id: Schema.String,
  attempt: Schema.Number,
  cache_key: Schema.String,
  status: AttemptStatusSchema,
  started_at: Schema.Number,
  ended_at: Schema.NullOr(Schema.Number),
  error: Schema.NullOr(Schema.String),
  resumed_chunks: Schema.Number,
  rows: Schema.NullOr(Schema.Number)
})

const ArtifactRow = Schema.Struct({
  stage_id: Schema.String,
  cache_key: Schema.String,
  kind: Schema.String,
  digest: Schema.String,
  descriptor: Schema.parseJson(),
  key_material: Schema.parseJson(KeyMaterialSchema),
  files: Schema.NullOr(Schema.parseJson(Schema.Array(FileCheckSchema))),
  run_id: Schema.String,
  attempt_id: Schema.Number,
  created_at: Schema.Number
})

const CheckpointRow = Schema.Struct({
  chunk: Schema.Number,
  rows: Schema.Number,
  digest: Schema.NullOr(Schema.String)
})

const EventRow = Schema.Struct({
  run_id: Schema.String,
  at: Schema.Number,
  type: Schema.String,
  stage_id: Schema.NullOr(Schema.String),
  data: JsonUnknown
})

const decoder =
  <A, I, B>(schema: Schema.Schema<A, I>, table: string, toRecord: (row: A) => B) =>
  (row: unknown): Effect.Effect<B, LedgerError> =>
    Schema.decodeUnknown(schema)(row).pipe(
      Effect.map(toRecord),
      Effect.mapError(
        (error) =>
          new LedgerError({
            message: `malformed ${table} row in the ledger: ${ParseResult.TreeFormatter.formatErrorSync(error)}`,
            cause: error
          })
      )
    )

export const decodeRun = decoder(RunRow, "runs", (r): RunRecord => ({
  id: r.id,
  pipeline: r.pipeline,
  file: r.file,
  status: r.status,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  pid: r.pid,
  argv: r.argv
}))

export const decodeAttempt = decoder(AttemptRow, "attempts", (r): AttemptRecord => ({
  id: r.id,
  runId: r.run_id,
  stageId: r.stage_id,
  attempt: r.attempt,
  cacheKey: r.cache_key,
  status: r.status,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  error: r.error,
  resumedChunks: r.resumed_chunks,
  rows: r.rows
}))

export const decodeArtifact = decoder(ArtifactRow, "artifacts", (r): ArtifactRecord => ({
  stageId: r.stage_id,
  cacheKey: r.cache_key,
  kind: r.kind,
  digest: r.digest,
  descriptor: r.descriptor,
  keyMaterial: r.key_material,
  files: r.files,
  runId: r.run_id,
  attemptId: r.attempt_id,
  createdAt: r.created_at
}))

export const decodeCheckpoint = decoder(CheckpointRow, "checkpoints", (r): ChunkRecord => ({
  chunk: r.chunk,
  rows: r.rows,
  digest: r.digest
}))

export const decodeEvent = decoder(EventRow, "events", (r): LedgerEvent => ({
  runId: r.run_id,
  at: r.at,
  type: r.type,
  stageId: r.stage_id,
  data: r.data
}))

/** Decodes every row, failing on the first malformed one. */
export const decodeAll = <B>(
  rows: ReadonlyArray<unknown>,
  decode: (row: unknown) => Effect.Effect<B, LedgerError>
): Effect.Effect<ReadonlyArray<B>, LedgerError> => Effect.forEach(rows, decode)
