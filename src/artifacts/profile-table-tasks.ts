/**
 * The profile table's worker tasks. Both generate chunk `chunk` (ids `firstId .. firstId + count -
 * 1`) from (seed, chunk) alone and return the chunk's numeric buffer (its codes, moved, not copied)
 * and its rows digest (hashing is a third of a writer's work, so it runs here too); binding 20
 * values a row and building the SQLite records runs here, on the workers in parallel, while the
 * one writer only copies records (profile-table-sql.ts).
 *
 * - `profiles/write-chunk`: writes the chunk's rows into a new scratch SQLite file at `rowsFile`
 *   (`writeProfileChunkFile`), for workers that share the caller's filesystem. The file is the
 *   task's one side effect, as deterministic as its result.
 * - `profiles/build-chunk`: builds that same database in memory and returns its bytes
 *   (`serializeProfileChunk`), for workers on another host (a remote WorkerPool); the caller
 *   writes them to the scratch file itself. No side effect.
 */
import { Schema } from "effect"
import { generateChunk, SUPPORTED_LOCALES } from "../domain/profile/index.js"
import { defineWorkerTask } from "../runtime/worker-task.js"
import { profileChunkDigest } from "./profile-table-rows.js"
import { serializeProfileChunk, writeProfileChunkFile } from "./profile-table-sql.js"

const NonNegativeInt = Schema.Int.pipe(Schema.nonNegative())

/** Which chunk to generate, from what seed. */
const ChunkFields = {
  seed: NonNegativeInt,
  locale: Schema.Literal(...SUPPORTED_LOCALES),
  chunk: NonNegativeInt,
  firstId: NonNegativeInt,
  count: NonNegativeInt
}

const CodesAndDigest = {
  /** The chunk's numeric buffer (ProfileCodes): what the codes file stores. */
  codes: Schema.instanceOf(ArrayBuffer),
  /** sha256 of the chunk's rows (profile-table-rows.ts). */
  rowsDigest: Schema.String
}

/** Writes one generated chunk's rows to a scratch file; returns its codes and rows digest. */
export const WriteProfileChunk = defineWorkerTask({
  name: "profiles/write-chunk",
  module: import.meta.url,
  input: Schema.Struct({
    ...ChunkFields,
    /** The new SQLite file for the chunk's rows (its directory must exist). */
    rowsFile: Schema.String
  }),
  output: Schema.Struct(CodesAndDigest),
  run: (input) => {
    const chunk = generateChunk(input.seed, input.chunk, input.firstId, input.count, input.locale)
    writeProfileChunkFile(input.rowsFile, chunk)
    return { codes: chunk.buffer, rowsDigest: profileChunkDigest(chunk) }
  },
  transfer: (output) => [output.codes]
})

/** Builds one generated chunk's rows database in memory; returns its bytes, codes and rows digest. */
export const BuildProfileChunk = defineWorkerTask({
  name: "profiles/build-chunk",
  module: import.meta.url,
  input: Schema.Struct(ChunkFields),
  output: Schema.Struct({
    ...CodesAndDigest,
    /** The bytes of the SQLite file `profiles/write-chunk` would have written. */
    rowsDatabase: Schema.instanceOf(Uint8Array)
  }),
  run: (input) => {
    const chunk = generateChunk(input.seed, input.chunk, input.firstId, input.count, input.locale)
    const rowsDatabase = serializeProfileChunk(chunk)
    return { codes: chunk.buffer, rowsDigest: profileChunkDigest(chunk), rowsDatabase }
  },
  transfer: (output) => [output.codes, output.rowsDatabase.buffer as ArrayBuffer]
})
