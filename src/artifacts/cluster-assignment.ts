/**
 * `cluster-assignment`: k-means clusters of a vector matrix, in one stage directory:
 *
 * - `clusters.sqlite`, table `clusters` (`id` profile id, `cluster_id`, `distance`): cluster-table.ts;
 * - `centroids.f32`: k x dim float32, row-major, no header;
 * - `assignments.i32`: the cluster of every row, int32, in the matrix's row order;
 * - `metrics.json`: the run's figures (ClusterMetrics below), for people and the report.
 *
 * Facts a downstream stage acts on (k, rows, dim, spherical) are in the descriptor; metrics.json
 * holds only what is shown, never what is decided on.
 */
import { createHash } from "node:crypto"
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { type ArtifactOf, defineArtifactKind } from "../runtime/artifact.js"
import { type ArtifactStoreError, StageError } from "../runtime/errors.js"
import { ArtifactStore } from "../runtime/services/artifact-store.js"
import { writeClusterTable } from "./cluster-table.js"
import { readJsonFile } from "./text-file.js"
import { bytesOf, readFloat32File, readInt32File } from "./typed-array-file.js"

export const ClusterAssignment = defineArtifactKind("cluster-assignment", "k-means clusters of a vector matrix", {
  /** SQLite database with the `clusters` table (`id`, `cluster_id`, `distance`). */
  dbPath: Schema.String,
  table: Schema.String,
  /** Raw float32 centroids (k x dim). */
  centroidsPath: Schema.String,
  /** Raw int32 cluster id per row, in the matrix's row order. */
  assignmentsPath: Schema.String,
  /** JSON metrics (ClusterMetrics): objective per iteration, cluster sizes, silhouette estimate. */
  metricsPath: Schema.String,
  k: Schema.Number,
  rows: Schema.Number,
  dim: Schema.Number,
  /**
   * Whether the clustering was by cosine with unit centroids (spherical k-means): the assignment
   * then follows inner product, otherwise L2. An index reusing the assignment as its lists needs it.
   */
  spherical: Schema.Boolean
})

/** A ClusterAssignment descriptor. */
export type ClusterAssignmentDescriptor = ArtifactOf<typeof ClusterAssignment>

/** The contents of `metrics.json`, in the order written. */
export const ClusterMetrics = Schema.Struct({
  k: Schema.Number,
  rows: Schema.Number,
  dim: Schema.Number,
  spherical: Schema.Boolean,
  init: Schema.String,
  niter: Schema.Number,
  nredo: Schema.Number,
  /** Wall seconds of the FAISS k-means call (information only; not part of the digest). */
  kmeansSeconds: Schema.Number,
  /** Objective after every iteration of every run (niter x nredo values, in order). */
  objective: Schema.Array(Schema.Number),
  finalObjective: Schema.NullOr(Schema.Number),
  meanSquaredDistance: Schema.Number,
  clusterSize: Schema.Struct({ min: Schema.Number, median: Schema.Number, max: Schema.Number, empty: Schema.Number }),
  clusterSizes: Schema.Array(Schema.Number),
  silhouette: Schema.Struct({ method: Schema.String, sample: Schema.Number, value: Schema.Number })
})
export type ClusterMetrics = typeof ClusterMetrics.Type

/** What a k-means run hands to the writer. */
export interface ClusterAssignmentData {
  /** Profile id of every row, in row order. */
  readonly ids: BigInt64Array
  readonly centroids: Float32Array
  readonly assignment: Int32Array
  /** Squared L2 distance of every row to its centroid. */
  readonly distance: Float32Array
  readonly metrics: ClusterMetrics
  /** Digest of the clustered matrix: the artifact's digest follows from it and the two files. */
  readonly inputDigest: string
}

const TABLE = "clusters"

/**
 * Writes the artifact under `workDir`: centroids, assignments, metrics, then the clusters table,
 * each atomically. The digest covers the input's digest, the centroids and the assignments (the
 * SQLite file's bytes are not reproducible; its contents are determined by those).
 */
export const writeClusterAssignment = (
  workDir: string,
  data: ClusterAssignmentData
): Effect.Effect<ClusterAssignmentDescriptor, StageError | ArtifactStoreError, ArtifactStore> =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const { k, rows, dim, spherical } = data.metrics
    if (data.centroids.length !== k * dim || data.assignment.length !== rows || data.ids.length !== rows || data.distance.length !== rows) {
      return yield* StageError.fatal(`cluster-assignment: arrays do not match k = ${k}, ${rows} x ${dim}`)
    }
    const centroidsPath = join(workDir, "centroids.f32")
    const assignmentsPath = join(workDir, "assignments.i32")
    const metricsPath = join(workDir, "metrics.json")
    const dbPath = join(workDir, "clusters.sqlite")
    const centroidsDigest = yield* store.writeFile(centroidsPath, bytesOf(data.centroids))
    const assignmentsDigest = yield* store.writeFile(assignmentsPath, bytesOf(data.assignment))
    yield* store.writeFile(metricsPath, `${JSON.stringify(data.metrics, null, 2)}\n`)
    yield* writeClusterTable(dbPath, TABLE, data.ids, data.assignment, data.distance)
    // "kmeans:" as when the stage made it, so the digests of existing runs stay comparable.
    const digest = createHash("sha256").update(`kmeans:${data.inputDigest}:${centroidsDigest}:${assignmentsDigest}`).digest("hex")
    return { kind: "cluster-assignment" as const, dbPath, table: TABLE, centroidsPath, assignmentsPath, metricsPath, k, rows, dim, spherical, digest }
  })

/** The k x dim centroids. */
export const readCentroids = (
  clusters: Pick<ClusterAssignmentDescriptor, "centroidsPath" | "k" | "dim">
): Effect.Effect<Float32Array<ArrayBuffer>, StageError> => readFloat32File(clusters.centroidsPath, clusters.k * clusters.dim, "centroids file")

/** The cluster of every row, in the clustered matrix's row order. */
export const readAssignments = (
  clusters: Pick<ClusterAssignmentDescriptor, "assignmentsPath" | "rows">
): Effect.Effect<Int32Array<ArrayBuffer>, StageError> => readInt32File(clusters.assignmentsPath, clusters.rows, "assignments file")

/** The run's metrics (metrics.json), decoded. */
export const readClusterMetrics = (
  clusters: Pick<ClusterAssignmentDescriptor, "metricsPath">
): Effect.Effect<ClusterMetrics, StageError> => readJsonFile(clusters.metricsPath, ClusterMetrics, "k-means metrics file")
