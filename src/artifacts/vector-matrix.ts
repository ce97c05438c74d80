/**
 * `vector-matrix`: float32 row vectors (feature vectors, embeddings).
 *
 * Matrix files: `rows * dim` float32 values, row-major, little-endian, no header; the ids file
 * beside it holds `rows` little-endian int64 profile ids in the same order. The same vectors are
 * also BLOB rows of a SQLite table, for people who query.
 */
import { Schema } from "effect"
import { defineArtifactKind } from "../runtime/artifact.js"

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
