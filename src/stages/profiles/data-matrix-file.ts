/**
 * A preallocated matrix file and its ids file, written chunk by chunk with positioned writes, so
 * chunks can land in any order and a resumed stage rewrites only the chunks it redoes. Layout
 * (artifacts.ts): rows * dim little-endian float32, no header; ids: rows little-endian int64.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, writeSync } from "node:fs"
import { Effect, type Scope } from "effect"
import { StageError } from "../../runtime/errors.js"

export interface MatrixWriter {
  /** Writes `values` (rows of dim floats) as rows firstRow.. and their ids firstId... */
  readonly writeRows: (firstRow: number, firstId: number, values: Float32Array) => void
  /** Flushes both files to disk. */
  readonly sync: () => void
}

const openSized = (path: string, bytes: number): number => {
  const fd = openSync(path, existsSync(path) ? "r+" : "w+")
  try {
    ftruncateSync(fd, bytes)
  } catch (error) {
    closeSync(fd)
    throw error
  }
  return fd
}

export const openMatrixWriter = (
  path: string,
  idsPath: string,
  rows: number,
  dim: number
): Effect.Effect<MatrixWriter, StageError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        const matrix = openSized(path, rows * dim * 4)
        let ids: number
        try {
          ids = openSized(idsPath, rows * 8)
        } catch (error) {
          closeSync(matrix)
          throw error
        }
        return { matrix, ids }
      },
      catch: (cause) => new StageError({ message: `cannot create matrix files ${path}: ${String(cause)}`, retryable: false, cause })
    }),
    ({ matrix, ids }) =>
      Effect.sync(() => {
        closeSync(matrix)
        closeSync(ids)
      })
  ).pipe(
    Effect.map(({ matrix, ids }) => ({
      writeRows: (firstRow: number, firstId: number, values: Float32Array) => {
        const count = values.length / dim
        const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
        let done = 0
        while (done < bytes.length) done += writeSync(matrix, bytes, done, bytes.length - done, firstRow * dim * 4 + done)
        const idValues = new BigInt64Array(count)
        for (let i = 0; i < count; i++) idValues[i] = BigInt(firstId + i)
        const idBytes = new Uint8Array(idValues.buffer)
        done = 0
        while (done < idBytes.length) done += writeSync(ids, idBytes, done, idBytes.length - done, firstRow * 8 + done)
      },
      sync: () => {
        fsyncSync(matrix)
        fsyncSync(ids)
      }
    }))
  )
