/**
 * ANN index kinds over a VectorMatrix, ids = profile ids, output AnnIndex (`<workDir>/index.faiss`
 * plus `index.json` with the tuning steps: parameter value, recall@10, queries/s).
 *
 * The runtime's wiring has no optional inputs (every declared input must be wired), so the
 * "reuse the kmeans centroids" variant is a second kind rather than an optional input:
 *
 * - `ann-index` (input `embeddings`): factory `auto` (Flat below `flatThreshold` rows, else
 *   `IVF<nlist>,Flat` with nlist = power of two nearest 4 sqrt(rows), or `nlist`), or any FAISS factory string
 *   (`HNSW32` only when asked: Debian's FAISS has no AVX2 and HNSW builds are slow).
 * - `ann-index-clustered` (inputs `embeddings`, `clusters`): `IVF<k>,Flat` whose coarse quantizer is
 *   the kmeans stage's centroids (trained on exactly those k points, which FAISS copies), so no
 *   second k-means runs. Its lists follow the kmeans assignment when the metric matches the
 *   clustering (`ip` with spherical k-means on unit vectors, `l2` otherwise).
 *
 * Both tune `nprobe` / `efSearch` by doubling until recall@10 against exact search on
 * `sampleQueries` sampled rows reaches `targetRecall` (faiss-ann-build.ts).
 */
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { StageError } from "../../runtime/errors.js"
import { ArtifactStore } from "../../runtime/services/artifact-store.js"
import { StageProgress } from "../../runtime/services/progress.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"
import { AnnIndex } from "../../artifacts/ann-index.js"
import { ClusterAssignment } from "../../artifacts/cluster-assignment.js"
import { VectorMatrix } from "../../artifacts/vector-matrix.js"
import { autoFactory, buildAnnIndex, type AnnBuildResult } from "./faiss-ann-build.js"
import { readIds, readInt32, readMatrix } from "./matrix-io.js"


const PositiveInt = Schema.Int.pipe(Schema.positive())
const Metric = Schema.Literal("ip", "l2")
const Recall = Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThanOrEqualTo(1))

const tuningFields = {
  metric: field(Metric, "ip", "ip (cosine on unit vectors) or l2"),
  targetRecall: field(Recall, 0.95, "recall@10 against exact search that the tuned search parameter must reach"),
  sampleQueries: field(PositiveInt, 500, "sampled rows used as queries to measure recall"),
  seed: field(Schema.Int, 42, "seed of the query sample")
}

export const AnnIndexConfig = Schema.Struct({
  factory: field(Schema.String, "auto", "FAISS factory string, or auto: Flat below flatThreshold rows, else IVF<nlist>,Flat"),
  flatThreshold: field(PositiveInt, 50_000, "auto uses Flat below this many rows"),
  nlist: field(
    Schema.Union(Schema.Literal("auto"), PositiveInt),
    "auto",
    "IVF lists when factory is auto: auto = power of two nearest 4 sqrt(rows)"
  ),
  trainPointsPerList: field(PositiveInt, 256, "IVF training sample: at most this many seeded rows per list (FAISS's own cap is 256)"),
  ...tuningFields
})

export const AnnIndexClusteredConfig = Schema.Struct(tuningFields)

const fail = (message: string) => new StageError({ message, retryable: false })

const descriptor = (
  result: AnnBuildResult,
  path: string,
  metric: "ip" | "l2",
  rows: number,
  dim: number
) => ({
  kind: "ann-index" as const,
  path,
  factory: result.factory,
  metric,
  rows,
  dim,
  searchParameters: result.searchParameters,
  recallAt10: result.recallAt10,
  digest: result.digest
})

/** The one field of the kmeans stage's metrics.json this kind reads. */
const KmeansMetrics = Schema.parseJson(Schema.Struct({ spherical: Schema.Boolean }))

const readKmeansMetrics = (path: string) =>
  Effect.tryPromise({ try: () => readFile(path, "utf8"), catch: (cause) => fail(`ann-index-clustered: cannot read ${path}: ${String(cause)}`) }).pipe(
    Effect.flatMap((text) =>
      Schema.decodeUnknown(KmeansMetrics)(text).pipe(
        Effect.mapError(() => fail(`ann-index-clustered: ${path} is not a kmeans metrics file (no 'spherical')`))
      )
    )
  )

const writeReport = (workDir: string, result: AnnBuildResult, extra: Record<string, unknown>) =>
  Effect.flatMap(ArtifactStore, (store) =>
    store.writeFile(
      join(workDir, "index.json"),
      `${JSON.stringify({ ...extra, factory: result.factory, searchParameters: result.searchParameters, recallAt10: result.recallAt10, seconds: result.seconds, tuning: result.tuning }, null, 2)}\n`
    )
  )

export const annIndex = defineStageKind({
  name: "ann-index",
  version: 1,
  description: "Builds a FAISS index over embeddings (ids = profile ids), tunes nprobe/efSearch to a recall@10 target, saves it.",
  config: AnnIndexConfig,
  inputs: { embeddings: { artifact: VectorMatrix, description: "the vectors to index" } },
  output: AnnIndex,
  resultLayers: ["faiss.device"],
  run: ({ config, inputs, workDir }) =>
    Effect.gen(function* () {
      const progress = yield* StageProgress
      const { rows, dim } = inputs.embeddings
      const factory = config.factory === "auto" ? autoFactory(rows, config.flatThreshold, config.nlist) : config.factory
      const x = yield* readMatrix(inputs.embeddings.path, rows, dim)
      const ids = yield* readIds(inputs.embeddings.idsPath, rows)
      yield* progress.setTotal(rows, "rows")
      yield* progress.message(`ann-index: ${factory} (${config.metric}) over ${rows} x ${dim}`)
      const path = join(workDir, "index.faiss")
      const result = yield* buildAnnIndex({ ...config, x, ids, rows, dim, factory, path })
      yield* writeReport(workDir, result, { rows, dim, metric: config.metric, targetRecall: config.targetRecall })
      yield* progress.advance(rows)
      yield* progress.message(`ann-index: ${JSON.stringify(result.searchParameters)} recall@10 ${result.recallAt10.toFixed(3)}`)
      return descriptor(result, path, config.metric, rows, dim)
    })
})

export const annIndexClustered = defineStageKind({
  name: "ann-index-clustered",
  // 2: the k-means assignment fills the lists (setCentroids + addWithIds with lists).
  // 3: the digest follows from the inputs when the lists are the assignment.
  version: 3,
  description:
    "Builds IVF<k>,Flat over embeddings with the kmeans centroids as coarse quantizer and its assignment as the lists, tunes nprobe, saves it.",
  config: AnnIndexClusteredConfig,
  inputs: {
    embeddings: { artifact: VectorMatrix, description: "the vectors to index" },
    clusters: { artifact: ClusterAssignment, description: "k-means of the same vectors; its centroids become the IVF lists" }
  },
  output: AnnIndex,
  resultLayers: ["faiss.device"],
  run: ({ config, inputs, workDir }) =>
    Effect.gen(function* () {
      const progress = yield* StageProgress
      const { rows, dim } = inputs.embeddings
      const { k } = inputs.clusters
      if (inputs.clusters.dim !== dim || inputs.clusters.rows !== rows) {
        return yield* fail(
          `ann-index-clustered: clusters are of ${inputs.clusters.rows} x ${inputs.clusters.dim} vectors, embeddings are ${rows} x ${dim}`
        )
      }
      const x = yield* readMatrix(inputs.embeddings.path, rows, dim)
      const ids = yield* readIds(inputs.embeddings.idsPath, rows)
      const centroids = yield* readMatrix(inputs.clusters.centroidsPath, k, dim)
      // The k-means assignment is the IVF list assignment when both use the same metric.
      const kmeansMetric = (yield* readKmeansMetrics(inputs.clusters.metricsPath)).spherical ? "ip" : "l2"
      const lists = kmeansMetric === config.metric ? yield* readInt32(inputs.clusters.assignmentsPath, rows) : undefined
      const factory = `IVF${k},Flat`
      yield* progress.setTotal(rows, "rows")
      yield* progress.message(`ann-index-clustered: ${factory} from kmeans centroids over ${rows} x ${dim}`)
      const path = join(workDir, "index.faiss")
      // Nothing is trained: the file follows from the inputs, so its digest can too.
      const identity =
        lists === undefined
          ? undefined
          : JSON.stringify({ embeddings: inputs.embeddings.digest, clusters: inputs.clusters.digest, factory, metric: config.metric })
      const result = yield* buildAnnIndex({ ...config, x, ids, rows, dim, factory, path, quantizer: { centroids, lists }, identity })
      yield* writeReport(workDir, result, { rows, dim, metric: config.metric, targetRecall: config.targetRecall, quantizer: lists === undefined ? "kmeans centroids" : "kmeans centroids and assignment" })
      yield* progress.advance(rows)
      yield* progress.message(`ann-index-clustered: ${JSON.stringify(result.searchParameters)} recall@10 ${result.recallAt10.toFixed(3)}`)
      return descriptor(result, path, config.metric, rows, dim)
    })
})
