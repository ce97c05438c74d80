/**
 * What the dashboard checks of a run's files at load, beyond their sizes (checked as they open),
 * so that a damaged artifact is a load failure naming the file instead of answers with wrong data:
 *
 * - every embedding is finite, and of unit length when the descriptor says `normalized` (a file
 *   zeroed or overwritten past some point, NaN or Inf rows): one sequential pass over the matrix
 *   file in 4 MiB slices, yielding between slices so /healthz keeps answering (about 1 s for
 *   1,000,000 x 128);
 * - the matrix ids are distinct and each is a profile of the table (an ids file zeroed past a cut
 *   repeats id 0);
 * - the table holds the rows its descriptor recorded, and the index the rows and dimension of its.
 */
import { closeSync, openSync, readSync } from "node:fs"
import { Effect } from "effect"
import type { VectorMatrixDescriptor } from "../artifacts/vector-matrix.js"
import type { IdPositions } from "./match-data.js"

/** A check that failed: what is wrong, in words naming the file. */
export class LoadCheckFailed extends Error {}

/** How far a normalized row's squared length may be from 1 (float32 rounding is ~1e-6). */
const UNIT_TOLERANCE = 1e-3

const SLICE_BYTES = 4 * 1024 * 1024

/** Scans the matrix file; fails naming the first bad row. */
export const checkEmbeddingRows = (
  matrix: Pick<VectorMatrixDescriptor, "path" | "rows" | "dim" | "normalized">
): Effect.Effect<void, LoadCheckFailed> =>
  Effect.gen(function* () {
    const rowBytes = matrix.dim * 4
    const rowsPerSlice = Math.max(1, Math.floor(SLICE_BYTES / rowBytes))
    const buffer = new Float32Array(rowsPerSlice * matrix.dim)
    const bytes = new Uint8Array(buffer.buffer)
    const fd = yield* Effect.try({ try: () => openSync(matrix.path, "r"), catch: (e) => new LoadCheckFailed(`cannot open ${matrix.path}: ${String(e)}`) })
    try {
      for (let first = 0; first < matrix.rows; first += rowsPerSlice) {
        const count = Math.min(rowsPerSlice, matrix.rows - first)
        const want = count * rowBytes
        let got = 0
        while (got < want) {
          const n = readSync(fd, bytes, got, want - got, first * rowBytes + got)
          if (n === 0) return yield* Effect.fail(new LoadCheckFailed(`${matrix.path} ends inside row ${first + Math.floor(got / rowBytes)}`))
          got += n
        }
        for (let r = 0; r < count; r++) {
          let sum = 0
          const base = r * matrix.dim
          for (let j = 0; j < matrix.dim; j++) {
            const v = buffer[base + j] as number
            sum += v * v
          }
          // NaN and Inf make the sum non-finite, so one test covers them.
          if (!Number.isFinite(sum)) return yield* Effect.fail(new LoadCheckFailed(`${matrix.path}: row ${first + r} holds a NaN or infinite value`))
          if (matrix.normalized && Math.abs(sum - 1) > UNIT_TOLERANCE) {
            return yield* Effect.fail(
              new LoadCheckFailed(`${matrix.path}: row ${first + r} has length ${Math.sqrt(sum).toPrecision(4)}, not 1 as its normalized matrix should`)
            )
          }
        }
        yield* Effect.yieldNow()
      }
    } finally {
      closeSync(fd)
    }
  })

/** The matrix ids are distinct profiles of the table; fails naming the first that is not. */
export const checkEmbeddingIds = (ids: IdPositions, profiles: IdPositions, idsPath: string): Effect.Effect<void, LoadCheckFailed> =>
  Effect.gen(function* () {
    for (let row = 0; row < ids.count; row++) {
      const id = ids.idAt(row)
      if (ids.positionOf(id) !== row) return yield* Effect.fail(new LoadCheckFailed(`${idsPath}: id ${id} appears more than once (row ${row})`))
      if (profiles.positionOf(id) < 0) return yield* Effect.fail(new LoadCheckFailed(`${idsPath}: row ${row} names id ${id}, which is not in the profiles table`))
    }
  })

/** A count the files hold against the one their descriptor recorded. */
export const checkCount = (what: string, found: number, recorded: number): Effect.Effect<void, LoadCheckFailed> =>
  found === recorded ? Effect.void : Effect.fail(new LoadCheckFailed(`${what} holds ${found}, but its run recorded ${recorded}`))
