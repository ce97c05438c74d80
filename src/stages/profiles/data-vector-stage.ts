/**
 * The body shared by `feature-vectors` and `embeddings`: per chunk of the profile table (its own
 * chunking, from its descriptor), a worker task reads the chunk's codes from the table's codes file
 * and computes its vectors and their digest (vector-matrix-writer-tasks.ts); the vector-matrix
 * writer (vector-matrix-writer.ts) commits them in chunk order, one checkpoint per chunk.
 */
import { Effect } from "effect"
import { codesRefOf, type ProfileTableDescriptor } from "../../artifacts/profile-table.js"
import type { CodesFileRef } from "../../artifacts/profile-table-codes.js"
import { type VectorChunkValues, writeVectorMatrix } from "../../artifacts/vector-matrix-writer.js"
import { StageError } from "../../runtime/errors.js"
import type { WorkerTask } from "../../runtime/worker-task.js"
import { WorkerPool } from "../../services/worker-pool.js"

/** What one vector stage writes, and the worker task that makes a chunk's vectors. */
export interface VectorStageSpec<I, O extends VectorChunkValues> {
  readonly workDir: string
  readonly profiles: ProfileTableDescriptor
  /** Base name of the files: `<name>.f32`, `<name>.ids.i64`, `<name>.sqlite`. */
  readonly name: string
  readonly table: string
  readonly dim: number
  readonly content: string
  readonly normalized: boolean
  readonly task: WorkerTask<I, O>
  /** The task's input for chunk `chunk`, whose codes are in `codes`. */
  readonly input: (codes: CodesFileRef, chunk: number) => I
}

/** Runs a vector stage over a profile table. */
export const runVectorStage = <I, O extends VectorChunkValues>(spec: VectorStageSpec<I, O>) =>
  Effect.gen(function* () {
    const pool = yield* WorkerPool
    const { profiles } = spec
    const codes = codesRefOf(profiles)
    return yield* writeVectorMatrix(
      {
        workDir: spec.workDir,
        name: spec.name,
        table: spec.table,
        rows: profiles.rows,
        dim: spec.dim,
        chunkSize: profiles.chunkSize,
        firstId: 1,
        content: spec.content,
        normalized: spec.normalized,
        source: { profiles: profiles.digest },
        window: Math.max(2, pool.size * 2)
      },
      ({ chunk }) => pool.run(spec.task, spec.input(codes, chunk)).pipe(Effect.mapError((e) => StageError.fatal(e.message, e)))
    )
  })
