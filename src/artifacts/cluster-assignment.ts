/** `cluster-assignment`: k-means clusters of a vector matrix (table, centroids, assignment, metrics). */
import { Schema } from "effect"
import { defineArtifactKind } from "../runtime/artifact.js"

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
