/**
 * The body shared by `feature-vectors` and `embeddings`: per chunk of the profile table (its own
 * chunking, from its descriptor), a worker task reads the chunk's codes from the table's codes file
 * and computes its vectors and their digest (vector-matrix-writer-tasks.ts); the vector-matrix
 * writer (vector-matrix-writer.ts) commits them in chunk order, one checkpoint per chunk. On a
 * remote WorkerPool (no shared filesystem) this stage reads the chunk's codes and sends their
 * bytes in the task's input instead of the file's path. Every call is keyed by (cache key, chunk),
 * so a cluster pool recognises a re-sent chunk.
 */
import { Effect } from "effect"
import { codesRefOf, type ProfileTableDescriptor } from "../../artifacts/profile-table.js"
import { type CodesSource, readCodesBytes } from "../../artifacts/profile-table-codes.js"
import { type VectorChunkValues, writeVectorMatrix } from "../../artifacts/vector-matrix-writer.js"
import { StageError } from "../../runtime/errors.js"
import type { WorkerTask } from "../../runtime/worker-task.js"
import { WorkerPool, withChunkKey } from "../../services/worker-pool.js"

/** What one vector stage writes, and the worker task that makes a chunk's vectors. */
export interface VectorStageSpec<I, O extends VectorChunkValues> {
  readonly workDir: string
  /** The stage's cache key: its pool calls are keyed by it and the chunk. */
  readonly cacheKey: string
  readonly profiles: ProfileTableDescriptor
  /** Base name of the files: `<name>.f32`, `<name>.ids.i64`, `<name>.sqlite`. */
  readonly name: string
  readonly table: string
  readonly dim: number
  readonly content: string
  readonly normalized: boolean
  readonly task: WorkerTask<I, O>
  /** The task's input for chunk `chunk`, whose codes are in `codes` (the file, or the chunk's bytes). */
  readonly input: (codes: CodesSource, chunk: number) => I
}

/** Runs a vector stage over a profile table. */
export const runVectorStage = <I, O extends VectorChunkValues>(spec: VectorStageSpec<I, O>) =>
  Effect.gen(function* () {
    const pool = yield* WorkerPool
    const { profiles } = spec
    const codes = codesRefOf(profiles)
    // A remote worker cannot read the codes file: it gets the chunk's bytes, read here.
    const sourceOf = (chunk: number): Effect.Effect<CodesSource, StageError> =>
      pool.remote === true ? readCodesBytes(codes, chunk, chunk + 1) : Effect.succeed(codes)
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
      ({ chunk }) =>
        sourceOf(chunk).pipe(
          Effect.flatMap((source) => pool.run(spec.task, spec.input(source, chunk)).pipe(Effect.mapError((e) => StageError.fatal(e.message, e)))),
          withChunkKey(spec.cacheKey, chunk)
        )
    )
  })
