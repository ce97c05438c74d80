/**
 * `number-series` (an example kind): float32 values in one little-endian file, no header.
 *
 * Written chunk by chunk so that a stage can checkpoint: each chunk is a file of its own in the
 * stage directory until `writeNumberSeries` concatenates them into the artifact's file, which is
 * therefore identical however often the stage resumed.
 */
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { type ArtifactOf, defineArtifactKind } from "../../runtime/artifact.js"
import type { ArtifactStoreError, StageError } from "../../runtime/errors.js"
import { ArtifactStore } from "../../runtime/services/artifact-store.js"
import { bytesOf, readFloat32File } from "../typed-array-file.js"

export const NumberSeries = defineArtifactKind("number-series", "float32 values in one little-endian file", {
  path: Schema.String,
  rows: Schema.Number
})

/** A NumberSeries descriptor. */
export type NumberSeriesDescriptor = ArtifactOf<typeof NumberSeries>

const chunkFile = (workDir: string, chunk: number) => join(workDir, `chunk-${String(chunk).padStart(6, "0")}.f32`)

/** Writes chunk `chunk`'s values to its own file in `workDir`; returns the file's digest (for the checkpoint). */
export const writeSeriesChunk = (
  workDir: string,
  chunk: number,
  values: Float32Array
): Effect.Effect<string, ArtifactStoreError, ArtifactStore> =>
  Effect.flatMap(ArtifactStore, (store) => store.writeFile(chunkFile(workDir, chunk), bytesOf(values)))

/**
 * Concatenates the chunk files of `workDir` (`count` values, `chunkSize` per chunk, the last one
 * shorter) into the artifact's file.
 */
export const writeNumberSeries = (
  workDir: string,
  count: number,
  chunkSize: number
): Effect.Effect<NumberSeriesDescriptor, StageError | ArtifactStoreError, ArtifactStore> =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const whole = new Float32Array(count)
    for (let chunk = 0; chunk * chunkSize < count; chunk++) {
      const length = Math.min(chunkSize, count - chunk * chunkSize)
      whole.set(yield* readFloat32File(chunkFile(workDir, chunk), length, `chunk ${chunk} of the series in`), chunk * chunkSize)
    }
    const path = join(workDir, "numbers.f32")
    const digest = yield* store.writeFile(path, bytesOf(whole))
    return { kind: "number-series" as const, path, rows: count, digest }
  })

/** The series' values. */
export const readNumberSeries = (series: Pick<NumberSeriesDescriptor, "path" | "rows">): Effect.Effect<Float32Array, StageError> =>
  readFloat32File(series.path, series.rows, "number series")
