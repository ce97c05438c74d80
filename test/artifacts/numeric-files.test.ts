/**
 * The readers of the numeric artifact files (src/artifacts/typed-array-file.ts through the
 * vector-matrix, cluster-assignment and number-series modules): whole files, given rows, rows on
 * demand, and clear failures when a file does not hold what its descriptor says.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { readAssignments, readCentroids } from "../../src/artifacts/cluster-assignment.js"
import { readNumberSeries, writeNumberSeries, writeSeriesChunk } from "../../src/artifacts/examples/number-series.js"
import { openVectorRows, readVectorIds, readVectorRows, readVectors } from "../../src/artifacts/vector-matrix.js"
import { ArtifactStoreFs } from "../../src/layers/artifact-store/fs-artifact-store.js"

const dir = mkdtempSync(join(tmpdir(), "numeric-files-"))
const ROWS = 7
const DIM = 3
const values = Float32Array.from({ length: ROWS * DIM }, (_, i) => i + 0.5)
const ids = BigInt64Array.from({ length: ROWS }, (_, i) => BigInt(100 + i))
const path = join(dir, "m.f32")
const idsPath = join(dir, "m.ids")
writeFileSync(path, new Uint8Array(values.buffer))
writeFileSync(idsPath, new Uint8Array(ids.buffer))
const matrix = { path, idsPath, rows: ROWS, dim: DIM }

describe("numeric artifact files", () => {
  it.effect("read whole: matrix, ids, centroids, assignments", () =>
    Effect.gen(function* () {
      expect(Array.from(yield* readVectors(matrix))).toEqual(Array.from(values))
      expect(Array.from(yield* readVectorIds(matrix))).toEqual(Array.from(ids))
      expect((yield* readCentroids({ centroidsPath: path, k: ROWS, dim: DIM })).length).toBe(ROWS * DIM)
      expect((yield* readAssignments({ assignmentsPath: path, rows: ROWS * DIM })).length).toBe(ROWS * DIM)
    })
  )

  it.effect("a file of another size fails naming both sizes", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(readVectors({ ...matrix, rows: ROWS + 1 }))
      expect(error._tag).toBe("StageError")
      expect(error.retryable).toBe(false)
      expect(error.message).toContain(`${ROWS * DIM * 4} bytes, expected ${(ROWS + 1) * DIM * 4}`)
      const missing = yield* Effect.flip(readVectorIds({ idsPath: join(dir, "nope"), rows: 1 }))
      expect(missing.message).toContain("cannot read ids file")
    })
  )

  it.effect("given rows come back in the order asked; a row outside the matrix fails", () =>
    Effect.gen(function* () {
      const rows = yield* readVectorRows(matrix, [6, 0, 3])
      expect(Array.from(rows)).toEqual([...values.subarray(18, 21), ...values.subarray(0, 3), ...values.subarray(9, 12)])
      const error = yield* Effect.flip(readVectorRows(matrix, [ROWS]))
      expect(error.message).toContain(`row ${ROWS} is outside the matrix`)
      const wrongSize = yield* Effect.flip(readVectorRows({ ...matrix, dim: DIM + 1 }, [0]))
      expect(wrongSize.message).toContain(`not ${ROWS} x ${DIM + 1} float32`)
    })
  )

  it.scoped("rows on demand from a matrix kept open", () =>
    Effect.gen(function* () {
      const reader = yield* openVectorRows(matrix)
      expect(Array.from(reader.row(2))).toEqual(Array.from(values.subarray(6, 9)))
      expect(() => reader.row(-1)).toThrow(RangeError)
      const error = yield* Effect.flip(openVectorRows({ ...matrix, rows: 2 }))
      expect(error.message).toContain("not 2 x 3 float32")
    })
  )

  it.effect("a number series written in chunks reads back whole", () =>
    Effect.gen(function* () {
      const work = mkdtempSync(join(dir, "series-"))
      const all = Float32Array.from({ length: 10 }, (_, i) => i / 10)
      for (let c = 0; c < 3; c++) yield* writeSeriesChunk(work, c, all.slice(c * 4, c * 4 + 4))
      const series = yield* writeNumberSeries(work, 10, 4)
      expect(series).toMatchObject({ kind: "number-series", rows: 10 })
      expect(Array.from(yield* readNumberSeries(series))).toEqual(Array.from(all))
    }).pipe(Effect.provide(ArtifactStoreFs.layer(dir)))
  )
})
