/**
 * `vector-matrix`: float32 row vectors (feature vectors, embeddings).
 *
 * Matrix files: `rows * dim` float32 values, row-major, little-endian, no header; the ids file
 * beside it holds `rows` little-endian int64 profile ids in the same order. The same vectors are
 * also BLOB rows of a SQLite table, for people who query.
 *
 * The readers below are how stages and the dashboard get at those bytes; the writer is in
 * vector-matrix-writer.ts.
 */
import { type Effect, Schema, type Scope } from "effect"
import { type ArtifactOf, defineArtifactKind } from "../runtime/artifact.js"
import type { StageError } from "../runtime/errors.js"
import { type MatrixRowReader, openMatrixRows, readFloat32File, readInt64File, readMatrixRows } from "./typed-array-file.js"

export const VectorMatrix = defineArtifactKind("vector-matrix", "float32 row vectors: a matrix file, its ids, and a BLOB table", {
  /** Raw float32 matrix file (rows x dim). */
  path: Schema.String,
  /** Raw int64 ids file (rows). */
  idsPath: Schema.String,
  rows: Schema.Number,
  dim: Schema.Number,
  /** SQLite database and table holding the same vectors as BLOB rows (`id`, `vector`). */
  dbPath: Schema.String,
  table: Schema.String,
  /** What the vectors are: `features`, `embeddings:attributes`, `embeddings:seed-random`. */
  content: Schema.String,
  normalized: Schema.Boolean
})

/** A VectorMatrix descriptor. */
export type VectorMatrixDescriptor = ArtifactOf<typeof VectorMatrix>

/** What the readers need of a descriptor (a match evaluation's copy of it will do). */
export type VectorMatrixFiles = Pick<VectorMatrixDescriptor, "path" | "idsPath" | "rows" | "dim">

/** The whole matrix, `rows x dim` float32, row-major; fails when the file holds another size. */
export const readVectors = (matrix: Pick<VectorMatrixDescriptor, "path" | "rows" | "dim">): Effect.Effect<Float32Array<ArrayBuffer>, StageError> =>
  readFloat32File(matrix.path, matrix.rows * matrix.dim, "matrix file")

/** The profile id of every row, in row order; fails when the file holds another count. */
export const readVectorIds = (matrix: Pick<VectorMatrixDescriptor, "idsPath" | "rows">): Effect.Effect<BigInt64Array<ArrayBuffer>, StageError> =>
  readInt64File(matrix.idsPath, matrix.rows, "ids file")

/**
 * Rows `rows` (row numbers, not ids) of the matrix, in the order given, as one
 * `rows.length x dim` matrix read at their offsets: for a stage that queries with a sample of the
 * rows without holding the matrix (512 MB at 1,000,000 x 128) in memory.
 */
export const readVectorRows = (
  matrix: Pick<VectorMatrixDescriptor, "path" | "rows" | "dim">,
  rows: ArrayLike<number>
): Effect.Effect<Float32Array, StageError> => readMatrixRows(matrix, rows)

/** Random access to single rows, for a server; the file stays open until the scope closes. */
export const openVectorRows = (
  matrix: Pick<VectorMatrixDescriptor, "path" | "rows" | "dim">
): Effect.Effect<MatrixRowReader, StageError, Scope.Scope> => openMatrixRows(matrix)

export type { MatrixRowReader } from "./typed-array-file.js"
