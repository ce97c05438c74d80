/**
 * ANN index kinds over a VectorMatrix, ids = profile ids, output AnnIndex (src/artifacts/ann-index.ts:
 * the index file plus `index.json` with the tuning steps: parameter value, recall@10, queries/s).
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
 *   clustering (`ip` with spherical k-means on unit vectors, `l2` otherwise: the clusters
 *   descriptor's `spherical`).
 *
 * Both tune `nprobe` / `efSearch` by doubling until recall@10 against exact search on
 * `sampleQueries` sampled rows reaches `targetRecall` (faiss-ann-build.ts). When no step reaches it
 * the stage fails, unless `onMissedTarget: warn`: then it keeps the best step and its descriptor
 * carries the `warning` (also printed as a progress message).
 *
 * `factory` is checked when the pipeline file is decoded (`pipeline validate`), by FAISS's own
 * parser without building anything (checkFactory, src/layers/faiss/factory-check.ts).
 */
import { Effect, ParseResult, Schema } from "effect"
import { AnnIndex } from "../../artifacts/ann-index.js"
import { ClusterAssignment, readAssignments, readCentroids } from "../../artifacts/cluster-assignment.js"
import { readVectorIds, readVectors, VectorMatrix, type VectorMatrixDescriptor } from "../../artifacts/vector-matrix.js"
import { StageError } from "../../runtime/errors.js"
import { checkFactory, describeFactoryProblem } from "../../services/faiss.js"
import { StageProgress } from "../../runtime/services/progress.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"
import { type AnnBuildRequest, autoFactory, buildAnnIndex, withIds } from "./faiss-ann-build.js"

const PositiveInt = Schema.Int.pipe(Schema.positive())
const Metric = Schema.Literal("ip", "l2")
const Recall = Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThanOrEqualTo(1))

/**
 * `auto` or a factory string FAISS can build (as built: with its `IDMap,` prefix), checked while
 * the file is decoded so a typo fails `validate` at its line with FAISS's whole message. The
 * metric is not known to a field's check; l2 and ip parse alike.
 */
const FactoryString = Schema.transformOrFail(Schema.String, Schema.String, {
  strict: true,
  decode: (factory, _, ast) => {
    if (factory === "auto") return ParseResult.succeed(factory)
    const problem = describeFactoryProblem(factory, checkFactory(withIds(factory)))
    return problem === undefined ? ParseResult.succeed(factory) : ParseResult.fail(new ParseResult.Type(ast, factory, problem))
  },
  encode: ParseResult.succeed
}).annotations({ title: "FAISS factory string" })

const tuningFields = {
  metric: field(Metric, "ip", "ip (cosine on unit vectors) or l2"),
  targetRecall: field(Recall, 0.95, "recall@10 against exact search that the tuned search parameter must reach"),
  onMissedTarget: field(
    Schema.Literal("fail", "warn"),
    "fail",
    "when no tried search parameter reaches targetRecall: fail the stage, or warn (keep the best, record a warning)"
  ),
  sampleQueries: field(PositiveInt, 500, "sampled rows used as queries to measure recall"),
  seed: field(Schema.Int, 42, "seed of the query sample")
}

export const AnnIndexConfig = Schema.Struct({
  factory: field(FactoryString, "auto", "FAISS factory string, or auto: Flat below flatThreshold rows, else IVF<nlist>,Flat"),
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

/** Reads the matrix, builds and tunes the index, and says so on the stage's progress. */
const buildOver = (
  embeddings: VectorMatrixDescriptor,
  label: string,
  what: string,
  request: Omit<AnnBuildRequest, "x" | "ids" | "rows" | "dim">
) =>
  Effect.gen(function* () {
    const progress = yield* StageProgress
    const { rows, dim } = embeddings
    const x = yield* readVectors(embeddings)
    const ids = yield* readVectorIds(embeddings)
    yield* progress.setTotal(rows, "rows")
    yield* progress.message(`${label}: ${what} over ${rows} x ${dim}`)
    const saved = yield* buildAnnIndex({ ...request, label, x, ids, rows, dim })
    yield* progress.advance(rows)
    yield* progress.message(`${label}: ${JSON.stringify(saved.searchParameters)} recall@10 ${saved.recallAt10.toFixed(3)}`)
    if (saved.warning !== undefined) yield* progress.message(`${label}: warning: ${saved.warning}`)
    return saved
  })

export const annIndex = defineStageKind({
  name: "ann-index",
  // 2: a missed targetRecall fails (or, with onMissedTarget: warn, keeps the best step and warns);
  //    factories with nothing to tune are measured; the factory is checked by FAISS at decode.
  version: 2,
  description: "Builds a FAISS index over embeddings (ids = profile ids), tunes nprobe/efSearch to a recall@10 target, saves it.",
  config: AnnIndexConfig,
  inputs: { embeddings: { artifact: VectorMatrix, description: "the vectors to index" } },
  output: AnnIndex,
  resultLayers: ["faiss.device"],
  run: ({ config, inputs, workDir }) => {
    const factory = config.factory === "auto" ? autoFactory(inputs.embeddings.rows, config.flatThreshold, config.nlist) : config.factory
    return buildOver(inputs.embeddings, "ann-index", `${factory} (${config.metric})`, { ...config, factory, workDir })
  }
})

export const annIndexClustered = defineStageKind({
  name: "ann-index-clustered",
  // 2: the k-means assignment fills the lists (setCentroids + addWithIds with lists).
  // 3: the digest follows from the inputs when the lists are the assignment.
  // 4: the k-means metric comes from the clusters descriptor's `spherical`, not its metrics.json.
  // 5: a missed targetRecall fails (or, with onMissedTarget: warn, keeps the best step and warns).
  version: 5,
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
      const { rows, dim } = inputs.embeddings
      const { k } = inputs.clusters
      if (inputs.clusters.dim !== dim || inputs.clusters.rows !== rows) {
        return yield* StageError.fatal(
          `ann-index-clustered: clusters are of ${inputs.clusters.rows} x ${inputs.clusters.dim} vectors, embeddings are ${rows} x ${dim}`
        )
      }
      const centroids = yield* readCentroids(inputs.clusters)
      // The k-means assignment is the IVF list assignment when both use the same metric.
      const kmeansMetric = inputs.clusters.spherical ? "ip" : "l2"
      const lists = kmeansMetric === config.metric ? yield* readAssignments(inputs.clusters) : undefined
      const factory = `IVF${k},Flat`
      // Nothing is trained: the file follows from the inputs, so its digest can too.
      const identity =
        lists === undefined
          ? undefined
          : JSON.stringify({ embeddings: inputs.embeddings.digest, clusters: inputs.clusters.digest, factory, metric: config.metric })
      const quantizerLabel = lists === undefined ? "kmeans centroids" : "kmeans centroids and assignment"
      return yield* buildOver(inputs.embeddings, "ann-index-clustered", `${factory} from kmeans centroids`, {
        ...config,
        factory,
        workDir,
        quantizer: { centroids, lists },
        quantizerLabel,
        identity
      })
    })
})
