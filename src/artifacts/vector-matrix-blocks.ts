/**
 * Contiguous blocks of a vector matrix (vector-matrix.ts says the format): rows `start ..
 * start + count - 1` and their ids, read with positioned reads, so a stage that streams over a
 * matrix (exact search, block by block) holds one block at a time instead of the whole matrix
 * (512 MB at 1,000,000 x 128).
 */
import { closeSync, openSync } from "node:fs"
import { Effect } from "effect"
import { readFully } from "../layers/artifact-store/positioned-io.js"
import { StageError } from "../runtime/errors.js"
import type { VectorMatrixDescriptor } from "./vector-matrix.js"

/** A block of rows: `count x dim` floats and the rows' ids. */
export interface VectorBlock {
  readonly values: Float32Array
  readonly ids: BigInt64Array
}

/** Rows `start .. start + count - 1` of the matrix and their ids. */
export const readVectorBlock = (
  matrix: Pick<VectorMatrixDescriptor, "path" | "idsPath" | "rows" | "dim">,
  start: number,
  count: number
): Effect.Effect<VectorBlock, StageError> =>
  Effect.try({
    try: () => {
      if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > matrix.rows) {
        throw new RangeError(`rows ${start}..${start + count - 1} are outside the ${matrix.rows} rows`)
      }
      const values = new Float32Array(count * matrix.dim)
      const ids = new BigInt64Array(count)
      const read = (path: string, bytes: Uint8Array, position: number) => {
        const fd = openSync(path, "r")
        try {
          readFully(fd, bytes, position, path)
        } finally {
          closeSync(fd)
        }
      }
      read(matrix.path, new Uint8Array(values.buffer), start * matrix.dim * 4)
      read(matrix.idsPath, new Uint8Array(ids.buffer), start * 8)
      return { values, ids }
    },
    catch: StageError.wrap(`cannot read rows ${start}.. of ${matrix.path}`)
  })
