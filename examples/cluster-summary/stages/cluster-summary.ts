/**
 * A user's module for effect-pipelines: one stage kind, one layer setting, one worker task.
 *
 * `cluster-summary` reads two artifacts the shipped stages made — the embeddings (`vector-matrix`)
 * and their k-means clusters (`cluster-assignment`) — through the package's public readers, sends
 * the per-cluster statistics to the worker pool as a typed task, and writes a CSV with one line
 * per cluster: its size, share of the rows, mean distance of its members to their centroid, and
 * the mean norm of its members. `layers.csv` chooses the delimiter and the decimals.
 */
import {
  ArtifactStore,
  ClusterAssignment,
  defineArtifactKind,
  defineLayer,
  defineStageKind,
  defineWorkerTask,
  field,
  readAssignments,
  readCentroids,
  readVectors,
  StageError,
  StageProgress,
  VectorMatrix,
  WorkerPool
} from "effect-pipelines"
import { Context, Effect, Layer, Schema } from "effect"
import { join } from "node:path"

/** The CSV the stage writes: where it is, how many clusters it lists. */
export const ClusterCsv = defineArtifactKind("cluster-csv", "per-cluster statistics as a CSV file", {
  path: Schema.String,
  clusters: Schema.Number,
  rows: Schema.Number
})

// --- The layer: `layers.csv: { delimiter, decimals }` in a pipeline file. -----------------------

export interface CsvFormatService {
  /** One CSV line from cells (numbers rounded to the configured decimals). */
  readonly line: (cells: ReadonlyArray<string | number>) => string
}

export class CsvFormat extends Context.Tag("cluster-summary/CsvFormat")<CsvFormat, CsvFormatService>() {}

export const CsvLayer = defineLayer({
  name: "csv",
  description: "how cluster-summary writes its CSV",
  settings: Schema.Struct({
    delimiter: field(Schema.Literal(",", ";", "\t"), ",", "cell delimiter"),
    decimals: field(Schema.Int.pipe(Schema.between(0, 12)), 4, "decimals of real numbers")
  }),
  layer: (settings) =>
    Layer.succeed(CsvFormat, {
      line: (cells) =>
        cells.map((c) => (typeof c === "number" ? (Number.isInteger(c) ? String(c) : c.toFixed(settings.decimals)) : c)).join(settings.delimiter)
    })
})

// --- The worker task: per-cluster sums over the vectors (CPU-bound, off the main thread). --------

const f32 = Schema.instanceOf(Float32Array)
const i32 = Schema.instanceOf(Int32Array)

export const ClusterStatsTask = defineWorkerTask({
  name: "cluster-summary/stats",
  module: import.meta.url,
  input: Schema.Struct({ vectors: f32, assignment: i32, centroids: f32, dim: Schema.Int, k: Schema.Int }),
  output: Schema.Struct({ counts: i32, distanceSums: Schema.instanceOf(Float64Array), normSums: Schema.instanceOf(Float64Array) }),
  run: ({ vectors, assignment, centroids, dim, k }) => {
    const counts = new Int32Array(k)
    const distanceSums = new Float64Array(k)
    const normSums = new Float64Array(k)
    for (let row = 0; row < assignment.length; row++) {
      const c = assignment[row]!
      let d2 = 0
      let n2 = 0
      for (let j = 0; j < dim; j++) {
        const v = vectors[row * dim + j]!
        const diff = v - centroids[c * dim + j]!
        d2 += diff * diff
        n2 += v * v
      }
      counts[c]! += 1
      distanceSums[c]! += Math.sqrt(d2)
      normSums[c]! += Math.sqrt(n2)
    }
    return { counts, distanceSums, normSums }
  },
  // The results move back to the stage's thread; nothing is copied.
  transfer: (out) => [out.counts.buffer as ArrayBuffer, out.distanceSums.buffer as ArrayBuffer, out.normSums.buffer as ArrayBuffer]
})

// --- The stage kind. -------------------------------------------------------------------------------

export const clusterSummary = defineStageKind({
  name: "cluster-summary",
  version: 1,
  description: "Writes per-cluster statistics (size, share, mean distance to centroid, mean norm) as CSV.",
  config: Schema.Struct({
    minSize: field(Schema.Int.pipe(Schema.nonNegative()), 0, "leave out clusters with fewer members")
  }),
  inputs: {
    embeddings: { artifact: VectorMatrix, description: "the clustered vectors" },
    clusters: { artifact: ClusterAssignment, description: "their k-means clusters" }
  },
  output: ClusterCsv,
  run: ({ config, inputs, workDir }) =>
    Effect.gen(function* () {
      const { embeddings, clusters } = inputs
      if (embeddings.rows !== clusters.rows || embeddings.dim !== clusters.dim) {
        return yield* StageError.fatal(
          `cluster-summary: the clusters (${clusters.rows} x ${clusters.dim}) are not of these embeddings (${embeddings.rows} x ${embeddings.dim})`
        )
      }
      const progress = yield* StageProgress
      yield* progress.setTotal(clusters.rows, "rows")
      const vectors = yield* readVectors(embeddings)
      const assignment = yield* readAssignments(clusters)
      const centroids = yield* readCentroids(clusters)
      const pool = yield* WorkerPool
      const stats = yield* pool
        .run(ClusterStatsTask, { vectors, assignment, centroids, dim: clusters.dim, k: clusters.k })
        .pipe(Effect.mapError(StageError.wrap("cluster-summary: the stats task failed")))
      yield* progress.advance(clusters.rows)

      const csv = yield* CsvFormat
      const lines = [csv.line(["cluster", "size", "share", "mean_distance", "mean_norm"])]
      let listed = 0
      for (let c = 0; c < clusters.k; c++) {
        const size = stats.counts[c]!
        if (size < config.minSize || size === 0) continue
        listed += 1
        lines.push(csv.line([c, size, size / clusters.rows, stats.distanceSums[c]! / size, stats.normSums[c]! / size]))
      }
      const path = join(workDir, "clusters.csv")
      const store = yield* ArtifactStore
      const digest = yield* store.writeFile(path, `${lines.join("\n")}\n`)
      return { kind: "cluster-csv" as const, path, clusters: listed, rows: clusters.rows, digest }
    })
})
