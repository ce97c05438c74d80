/**
 * The body shared by `feature-vectors` and `embeddings`: per chunk of the profile table, compute
 * vectors on the WorkerPool, hand them to the stage's vector sink (its own thread: it writes them
 * into the preallocated matrix and ids files, then inserts them as BLOB rows together with the
 * chunk's `_chunks` row in one SQLite transaction), then mirror the checkpoint. The artifact's
 * digest is made from the committed chunk digests.
 *
 * Where the profile data comes from: the workers read each chunk's codes from the profile table's
 * codes file (55 bytes a profile, data-codes-file.ts) — or, for a table made before codes files,
 * regenerate the chunk from (seed, chunk), which the table's `_meta` allows. Both give the same
 * numbers; reading costs ~0.02 µs a profile against ~2.4 µs for regenerating (names and
 * descriptions included) on the 2-core machine, and parsing SQLite text back would cost more still.
 */
import { join } from "node:path"
import { Effect } from "effect"
import type { Locale } from "../../domain/profile/index.js"
import type { EmbeddingMode } from "../../domain/vectors/index.js"
import { chunkListDigest, readChunks, readMeta } from "../../layers/sqlite/chunks-table.js"
import { Sqlite, sqliteTry } from "../../layers/sqlite/service.js"
import { vectorTableDdl } from "../../layers/sqlite/vectors-table.js"
import { resumeChunkedTable } from "./data-resume.js"
import type { GeneratedChunk } from "../../layers/workers/tasks.js"
import { WorkerPool } from "../../layers/workers/service.js"
import { StageError } from "../../runtime/errors.js"
import { Checkpoint } from "../../runtime/services/checkpoint.js"
import { StageProgress } from "../../runtime/services/progress.js"
import type { ProfileTable } from "../../artifacts/profile-table.js"
import { codesOffset, usableCodes } from "./data-codes-file.js"
import { orderedChunks } from "./data-ordered-chunks.js"
import { toStageError } from "./generate-profiles.js"

type ProfileTableDescriptor = NonNullable<(typeof ProfileTable)["~descriptor"]>

export interface VectorStageSpec {
  readonly workDir: string
  readonly profiles: ProfileTableDescriptor
  /** Base name of the files: `<name>.f32`, `<name>.ids.i64`, `<name>.sqlite`. */
  readonly name: string
  readonly table: string
  readonly dim: number
  readonly content: string
  readonly normalized: boolean
  readonly features: boolean
  readonly embedding: { readonly dim: number; readonly mode: EmbeddingMode; readonly seed: number } | null
  readonly pick: (generated: GeneratedChunk) => { readonly values: Float32Array<ArrayBuffer> | null; readonly digest: string | null }
}

/** Reads the chunk size and checks the profile table's `_meta` against its descriptor. */
const profileChunkSize = (profiles: ProfileTableDescriptor) =>
  Effect.gen(function* () {
    const sqlite = yield* Sqlite
    const db = yield* sqlite.open(profiles.path, { readonly: true })
    const meta = yield* sqliteTry(profiles.path, "cannot read the profile table's _meta", () => readMeta(db))
    const chunkSize = Number(meta.get("chunk_size"))
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || meta.get("count") !== String(profiles.rows) || meta.get("seed") !== String(profiles.seed)) {
      return yield* new StageError({
        message: `${profiles.path} does not look like a generate-profiles table for ${profiles.rows} rows (its _meta: ${JSON.stringify(Object.fromEntries(meta))})`,
        retryable: false
      })
    }
    return chunkSize
  }).pipe(Effect.scoped)

export const runVectorStage = (spec: VectorStageSpec) =>
  Effect.gen(function* () {
    const sqlite = yield* Sqlite
    const pool = yield* WorkerPool
    const checkpoint = yield* Checkpoint
    const progress = yield* StageProgress
    const { profiles, dim } = spec
    const chunkSize = yield* profileChunkSize(profiles)
    const rows = profiles.rows
    const chunks = Math.ceil(rows / chunkSize)
    const rowsOf = (c: number) => Math.min(chunkSize, rows - c * chunkSize)
    const path = join(spec.workDir, `${spec.name}.f32`)
    const idsPath = join(spec.workDir, `${spec.name}.ids.i64`)
    const dbPath = join(spec.workDir, `${spec.name}.sqlite`)
    const meta = { profiles: profiles.digest, content: spec.content, dim: String(dim), chunk_size: String(chunkSize) }

    // Resume on a connection of our own, closed before the sink's thread opens the file.
    const resumeAt = yield* Effect.scoped(
      Effect.flatMap(sqlite.open(dbPath, { cacheMiB: 8, bulkLoad: true }), (db) =>
        resumeChunkedTable({ db, path: dbPath, table: spec.table, ddl: vectorTableDdl(spec.table), meta, rows, chunkSize, unit: "rows" })
      )
    )
    const sink = yield* sqlite.openVectorSink({ dbPath, table: spec.table, dim, rows, matrixPath: path, idsPath, cacheMiB: 64 })
    // Codes from the profile table's codes file when it has one, else regenerated.
    const codes = usableCodes(profiles, { firstId: 1, chunkSize })
    const todo = Array.from({ length: chunks - resumeAt }, (_, i) => resumeAt + i)
    yield* orderedChunks(
      todo,
      Math.max(2, pool.size * 2),
      (c) =>
        pool
          .run("generate-chunk", {
            seed: profiles.seed,
            chunk: c,
            firstId: c * chunkSize + 1,
            count: rowsOf(c),
            locale: profiles.locale as Locale,
            profiles: false,
            codes: codes === undefined ? null : { path: codes.path, offset: codesOffset(codes, c) },
            rowsFile: null,
            features: spec.features,
            embeddingDim: spec.embedding?.dim ?? 0,
            embeddingMode: spec.embedding?.mode ?? "attributes",
            embeddingSeed: spec.embedding?.seed ?? 0
          })
          .pipe(Effect.mapError(toStageError)),
      (c, generated) =>
        Effect.gen(function* () {
          const { values, digest: given } = spec.pick(generated)
          if (values === null || values.length !== generated.count * dim) {
            return yield* new StageError({ message: `chunk ${c} came back without its ${spec.content} vectors`, retryable: false })
          }
          const digest = yield* sink
            .write({ chunk: c, firstRow: c * chunkSize, firstId: generated.firstId, values, digest: given })
            .pipe(Effect.mapError(toStageError))
          yield* checkpoint.commit({ chunk: c, rows: generated.count, digest })
          yield* progress.advance(generated.count)
        })
    )
    yield* sink.finish.pipe(Effect.mapError(toStageError))
    // The chunks' digests (sha256 of each chunk's float bytes, committed with its rows) identify the
    // matrix as well as hashing the whole file again would, without reading it back.
    const committed = yield* Effect.scoped(
      Effect.flatMap(sqlite.open(dbPath, { readonly: true, cacheMiB: 8 }), (db) => sqliteTry(dbPath, "cannot read _chunks", () => readChunks(db)))
    )
    if (committed.length !== chunks) {
      return yield* new StageError({ message: `${dbPath}: expected ${chunks} committed chunks, found ${committed.length}`, retryable: false })
    }
    const digest = chunkListDigest(`${spec.content} ${rows}x${dim}`, committed)
    return {
      kind: "vector-matrix" as const,
      path,
      idsPath,
      rows,
      dim,
      dbPath,
      table: spec.table,
      content: spec.content,
      normalized: spec.normalized,
      digest
    }
  }).pipe(Effect.scoped, Effect.mapError((e) => (e._tag === "SqliteError" ? toStageError(e) : e)))
