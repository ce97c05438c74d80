/**
 * Artifact kinds of the profile pipeline. Bulk data stays on disk: SQLite files for rows that
 * people query, raw little-endian matrices for vectors that programs load whole.
 *
 * Matrix files: `rows * dim` float32 values, row-major, little-endian, no header; the ids file
 * beside it holds `rows` little-endian int64 profile ids in the same order.
 */
import { Schema } from "effect"
import { defineArtifactKind } from "../../runtime/artifact.js"

export const ProfileTable = defineArtifactKind("profile-table", "profiles in a SQLite table", {
  /** The SQLite database file. */
  path: Schema.String,
  table: Schema.String,
  rows: Schema.Number,
  seed: Schema.Number,
  locale: Schema.String,
  /**
   * The profiles' codes (ProfileCodes, chunk.ts): chunk c's numeric buffer at byte
   * c * chunkSize * BYTES_PER_PROFILE, chunks in order, no header. Readers that need numbers, not
   * text (vectors, embeddings, match scores, stats), read this instead of regenerating profiles.
   * Absent in tables made before it existed: readers then regenerate.
   */
  codes: Schema.optional(Schema.Struct({ path: Schema.String, chunkSize: Schema.Number, bytesPerProfile: Schema.Number }))
})

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

export const ClusterAssignment = defineArtifactKind("cluster-assignment", "k-means clusters of a vector matrix", {
  /** SQLite database with the `clusters` table (`id`, `cluster_id`, `distance`). */
  dbPath: Schema.String,
  table: Schema.String,
  /** Raw float32 centroids (k x dim). */
  centroidsPath: Schema.String,
  /** Raw int32 cluster id per row, in the matrix's row order. */
  assignmentsPath: Schema.String,
  /** JSON metrics: objective per iteration, cluster sizes, silhouette estimate. */
  metricsPath: Schema.String,
  k: Schema.Number,
  rows: Schema.Number,
  dim: Schema.Number
})

export const AnnIndex = defineArtifactKind("ann-index", "a saved FAISS index over profile embeddings, ids = profile ids", {
  path: Schema.String,
  factory: Schema.String,
  metric: Schema.Literal("l2", "ip"),
  rows: Schema.Number,
  dim: Schema.Number,
  /** Tuned search parameters, e.g. `{ nprobe: 16 }` or `{ efSearch: 64 }`. */
  searchParameters: Schema.Record({ key: Schema.String, value: Schema.Number }),
  /** Measured recall@10 against exact search on a sample. */
  recallAt10: Schema.Number
})

export const MatchEvaluation = defineArtifactKind("match-eval", "match quality figures as JSON", {
  path: Schema.String
})

export const HtmlReport = defineArtifactKind("html-report", "a self-contained HTML report and its console text", {
  path: Schema.String,
  textPath: Schema.String
})
