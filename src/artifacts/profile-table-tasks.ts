/**
 * The profile table's worker task. `profiles/write-chunk`: generates chunk `chunk` (ids
 * `firstId .. firstId + count - 1`) from (seed, chunk) alone, writes its rows into a new scratch
 * SQLite file at `rowsFile` (profile-table-sql.ts `writeProfileChunkFile`: binding 20 values a row
 * and building the records runs here, on the workers in parallel, while the one writer only copies
 * records), and returns the chunk's numeric buffer (its codes, moved, not copied) and its rows
 * digest (hashing is a third of a writer's work, so it runs here too). The file is the task's one
 * side effect, as deterministic as its result.
 */
import { Schema } from "effect"
import { generateChunk, SUPPORTED_LOCALES } from "../domain/profile/index.js"
import { defineWorkerTask } from "../runtime/worker-task.js"
import { profileChunkDigest } from "./profile-table-rows.js"
import { writeProfileChunkFile } from "./profile-table-sql.js"

const NonNegativeInt = Schema.Int.pipe(Schema.nonNegative())

/** Writes one generated chunk's rows to a scratch file; returns its codes and rows digest. */
export const WriteProfileChunk = defineWorkerTask({
  name: "profiles/write-chunk",
  module: import.meta.url,
  input: Schema.Struct({
    seed: NonNegativeInt,
    locale: Schema.Literal(...SUPPORTED_LOCALES),
    chunk: NonNegativeInt,
    firstId: NonNegativeInt,
    count: NonNegativeInt,
    /** The new SQLite file for the chunk's rows (its directory must exist). */
    rowsFile: Schema.String
  }),
  output: Schema.Struct({
    /** The chunk's numeric buffer (ProfileCodes): what the codes file stores. */
    codes: Schema.instanceOf(ArrayBuffer),
    /** sha256 of the chunk's rows (profile-table-rows.ts). */
    rowsDigest: Schema.String
  }),
  run: (input) => {
    const chunk = generateChunk(input.seed, input.chunk, input.firstId, input.count, input.locale)
    writeProfileChunkFile(input.rowsFile, chunk)
    return { codes: chunk.buffer, rowsDigest: profileChunkDigest(chunk) }
  },
  transfer: (output) => [output.codes]
})
