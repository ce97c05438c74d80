/**
 * `kmeans`: clusters a VectorMatrix with FAISS k-means (the `Faiss` service) and writes a
 * ClusterAssignment (src/artifacts/cluster-assignment.ts: clusters table, centroids, assignments,
 * metrics). The metrics are the objective per iteration (niter x nredo values, in order), cluster
 * sizes (min / median / max / empty) and a simplified silhouette on a seeded sample
 * (faiss-metrics.ts says why simplified rather than exact on the sample).
 *
 * Config: `k` (`auto` = floor(sqrt(rows)) or a positive int; larger than the rows is a
 * non-retryable StageError naming both), `niter` 25, `nredo` 3, `seed` 42,
 * `maxPointsPerCentroid` 256 (FAISS trains on a seeded sample of k x this many rows, then assigns
 * every row), `spherical` `auto` (= the input's `normalized` flag: unit embeddings are clustered by
 * cosine, centroids renormalised each iteration), `init` `random` (FAISS's own, as the seed
 * project) or `kmeans++`, `silhouetteSample` 2,000.
 *
 * `distance` is always the squared L2 distance to the assigned centroid (for unit vectors and
 * spherical centroids that is 2 - 2 cos), whatever `spherical` is, so the column means one thing.
 * The artifact digest covers the input's digest, the centroids and the assignments (the SQLite
 * file's bytes are not reproducible; its contents are determined by those).
 */
import { Duration, Effect, Schema } from "effect"
import { ClusterAssignment, writeClusterAssignment } from "../../artifacts/cluster-assignment.js"
import { readVectorIds, readVectors, VectorMatrix } from "../../artifacts/vector-matrix.js"
import { StageError } from "../../runtime/errors.js"
import { StageProgress } from "../../runtime/services/progress.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"
import { Faiss } from "../../services/faiss.js"
import { clusterSizes, distancesToCentroids, sampleRows, simplifiedSilhouette } from "./faiss-metrics.js"

const PositiveInt = Schema.Int.pipe(Schema.positive())

export const KMeansConfig = Schema.Struct({
  k: field(Schema.Union(Schema.Literal("auto"), PositiveInt), "auto", "clusters: a positive int, or auto = floor(sqrt(rows))"),
  niter: field(PositiveInt, 25, "Lloyd iterations per run"),
  nredo: field(PositiveInt, 3, "runs from different starts; the lowest final objective wins"),
  seed: field(Schema.Int, 42, "seed of FAISS's sampling and initialisation, and of the silhouette sample"),
  maxPointsPerCentroid: field(PositiveInt, 256, "train on at most k x this many sampled rows (all rows are assigned)"),
  spherical: field(
    Schema.Union(Schema.Literal("auto"), Schema.Boolean),
    "auto",
    "cluster by cosine with unit centroids; auto = true when the input is normalized"
  ),
  init: field(Schema.Literal("random", "kmeans++"), "random", "starting centroids: FAISS's random sample or k-means++"),
  silhouetteSample: field(PositiveInt, 2000, "rows sampled for the simplified silhouette estimate")
})
export type KMeansConfig = typeof KMeansConfig.Type

/** The k a config asks for on `rows` rows. */
export const resolveK = (k: KMeansConfig["k"], rows: number): number => (k === "auto" ? Math.max(1, Math.floor(Math.sqrt(rows))) : k)

export const kmeans = defineStageKind({
  name: "kmeans",
  // 2: `spherical` is in the descriptor (downstream stages read it there, not in metrics.json).
  version: 2,
  description: "Clusters embeddings with FAISS k-means: clusters table, centroids, assignments and metrics.",
  config: KMeansConfig,
  inputs: { embeddings: { artifact: VectorMatrix, description: "the vectors to cluster" } },
  output: ClusterAssignment,
  resultLayers: ["faiss.device"],
  run: ({ config, inputs, workDir }) =>
    Effect.gen(function* () {
      const faiss = yield* Faiss
      const progress = yield* StageProgress
      const { rows, dim } = inputs.embeddings
      const k = resolveK(config.k, rows)
      if (k > rows) {
        return yield* StageError.fatal(`kmeans: k = ${k} is larger than the ${rows} rows of the input; choose k <= ${rows} or k: auto`)
      }
      const spherical = config.spherical === "auto" ? inputs.embeddings.normalized : config.spherical
      const x = yield* readVectors(inputs.embeddings)
      const ids = yield* readVectorIds(inputs.embeddings)
      yield* progress.setTotal(rows, "rows")
      yield* progress.message(`k-means: ${rows} x ${dim}, k = ${k}, ${config.nredo} x ${config.niter} iterations`)

      const [kmeansTime, result] = yield* faiss
        .kmeans(x, {
          d: dim,
          k,
          niter: config.niter,
          nredo: config.nredo,
          seed: config.seed,
          spherical,
          maxPointsPerCentroid: config.maxPointsPerCentroid,
          init: config.init
        })
        .pipe(Effect.mapError(StageError.wrap(`kmeans: FAISS k-means failed (k = ${k}, ${rows} x ${dim})`)), Effect.timed)

      const distance = distancesToCentroids(x, result.centroids, result.assignment, dim)
      const sizes = clusterSizes(result.assignment, k)
      const sample = sampleRows(rows, config.silhouetteSample, config.seed)
      const silhouette = simplifiedSilhouette(x, result.centroids, result.assignment, dim, k, sample)

      const metrics = {
        k,
        rows,
        dim,
        spherical,
        init: config.init,
        niter: config.niter,
        nredo: config.nredo,
        kmeansSeconds: Duration.toSeconds(kmeansTime),
        objective: result.objective,
        finalObjective: result.objective[result.objective.length - 1] ?? null,
        meanSquaredDistance: rows === 0 ? 0 : distance.reduce((s, v) => s + v, 0) / rows,
        clusterSize: { min: sizes.min, median: sizes.median, max: sizes.max, empty: sizes.empty },
        clusterSizes: sizes.sizes,
        silhouette: { method: "simplified (centroid distances, Euclidean)", sample: sample.length, value: silhouette }
      }
      const clusters = yield* writeClusterAssignment(workDir, {
        ids,
        centroids: result.centroids,
        assignment: result.assignment,
        distance,
        metrics,
        inputDigest: inputs.embeddings.digest
      })
      yield* progress.advance(rows)
      yield* progress.message(
        `k-means: sizes ${sizes.min}/${sizes.median}/${sizes.max} (min/median/max), silhouette ~ ${silhouette.toFixed(3)}`
      )
      return clusters
    })
})
