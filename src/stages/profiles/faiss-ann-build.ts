/**
 * Builds, tunes and saves an ANN index for the ann-index kinds (ann-index.ts).
 *
 * - Factory `auto`: `Flat` below `flatThreshold` rows, else `IVF<nlist>,Flat` with nlist the power
 *   of two nearest 4 sqrt(rows) (`defaultNlist`, ann-defaults.ts). HNSW only when asked for.
 *   Indexes that do not store ids themselves (anything without `IVF` or `IDMap`) get an `IDMap,`
 *   prefix so that `addWithIds` stores the profile ids.
 * - Training: on at most `trainPointsPerList` x nlist seeded sampled rows (FAISS would subsample to
 *   256 per list itself; fewer trains faster, e.g. 64), or, when a k-means of the same rows is
 *   given (`quantizer`), none: its centroids become the coarse quantizer (`setCentroids`) and its
 *   assignment the rows' lists, which saves a second k-means and the 1,000 x 1,000,000 assignment
 *   search of adding (3.2 s of the index stage at 1M x 128 on the 2-core machine).
 * - Tuning: `sampleQueries` seeded rows of the data are the queries; their exact top 10 comes from a
 *   flat index with the same metric. `nprobe` (IVF, from 1) or `efSearch` (HNSW, from 16) doubles
 *   until recall@10 >= target or the cap (nlist; 4,096) is reached. Every step is recorded with its
 *   recall and queries/s (wall time of that step's search, for information only). A factory with
 *   nothing to tune (`PQ32`, `LSH`) is measured once; an exact one (`Flat`) is not measured.
 * - A missed target (no step reached it) fails the stage, saying the best recall, where, and what
 *   to try; with `onMissedTarget: warn` the stage keeps the step with the best recall (the
 *   smallest parameter among equals, the fastest) and records the warning in the descriptor.
 * - Saving: by the artifact module (src/artifacts/ann-index.ts), digested from `identity` when the
 *   request gives one: an index built from given centroids and lists is a function of its inputs.
 */
import { Duration, Effect } from "effect"
import { type AnnIndexDescriptor, type TuningStep, writeAnnIndex } from "../../artifacts/ann-index.js"
import { StageError } from "../../runtime/errors.js"
import { defaultNlist, Faiss, type FaissError, type Metric } from "../../services/faiss.js"
import { gatherRows, recallAtK, sampleRows } from "./faiss-metrics.js"

export const RECALL_K = 10
/** What a missed recall target does: fail the stage (default) or keep the best step with a warning. */
export type OnMissedTarget = "fail" | "warn"
export const MAX_EF_SEARCH = 4096

/** The factory string `auto` resolves to for `rows` rows. */
export const autoFactory = (rows: number, flatThreshold: number, nlist: number | "auto" = "auto"): string =>
  rows < flatThreshold ? "Flat" : `IVF${Math.min(nlist === "auto" ? defaultNlist(rows) : nlist, rows)},Flat`

/** The factory string actually built: one that stores 64-bit ids. */
export const withIds = (factory: string): string => (/IVF|IDMap/.test(factory) ? factory : `IDMap,${factory}`)

export interface AnnBuildRequest {
  readonly x: Float32Array
  readonly ids: BigInt64Array
  readonly rows: number
  readonly dim: number
  readonly factory: string
  readonly metric: Metric
  readonly targetRecall: number
  /** Default `fail`. */
  readonly onMissedTarget?: OnMissedTarget | undefined
  /** The kind's name, for messages (default `ann-index`). */
  readonly label?: string | undefined
  readonly sampleQueries: number
  readonly seed: number
  /** The stage directory the artifact is saved in. */
  readonly workDir: string
  /**
   * A k-means already run over `x` for an `IVF<nlist>` factory: its centroids (nlist x dim) become
   * the coarse quantizer (no training), and its assignment, when given, puts each row in its list
   * without the quantizer's nlist x rows search. Only pass `lists` from a k-means whose assignment
   * used the index's metric (spherical k-means for `ip`, plain for `l2`).
   */
  readonly quantizer?: { readonly centroids: Float32Array; readonly lists: Int32Array | undefined } | undefined
  /** What the quantizer came from, for the build record (`kmeans centroids`, ...). */
  readonly quantizerLabel?: string | undefined
  /** IVF training sample: at most this many rows per list (default: all rows, FAISS caps at 256). */
  readonly trainPointsPerList?: number | undefined
  /**
   * When the index file is a deterministic function of known inputs (no training: centroids and
   * lists given), a description of them (input digests, factory, metric): the artifact digest is
   * then made from it instead of reading the written file back (520 MB at 1,000,000 x 128, ~1 s).
   */
  readonly identity?: string | undefined
}

const faissFailure = (what: string) => (error: FaissError) => StageError.wrap(`ann-index: ${what}`, error.reason === "io")(error)

/** Which search parameter tunes this factory, from what start to what cap. */
const tunable = (factory: string): { name: string; start: number; cap: number } | undefined => {
  const ivf = /IVF(\d+)/.exec(factory)
  if (ivf !== null) return { name: "nprobe", start: 1, cap: Number(ivf[1]) }
  if (/HNSW\d+/.test(factory)) return { name: "efSearch", start: 16, cap: MAX_EF_SEARCH }
  return undefined
}

/** Index types whose search is exact: nothing to measure. */
const isExact = (factory: string): boolean => /^(IDMap2?,)?Flat$/.test(factory)

/** What to try when no step reached the target (tuning stops short of it only at the cap). */
const advice = (factory: string, parameter: { name: string; cap: number } | undefined): string => {
  if (parameter === undefined) {
    return `"${factory}" has no search parameter to tune: use another factory (IVF<n>,Flat, HNSW32, Flat) or a lower targetRecall`
  }
  return parameter.name === "nprobe"
    ? `nprobe ${parameter.cap} already searches all ${parameter.cap} lists, so the loss is in the stored codes: use IVF<n>,Flat, more PQ bytes (e.g. PQ64) or SQ8, or a lower targetRecall`
    : `efSearch ${parameter.cap} is the largest tried: use a larger M (e.g. HNSW64), another factory (IVF<n>,Flat, Flat), or a lower targetRecall`
}

/** The rows an index is trained on: all, or a seeded sample of `trainPointsPerList` per IVF list. */
const trainingSample = (request: AnnBuildRequest, factory: string): Float32Array => {
  const ivf = /IVF(\d+)/.exec(factory)
  if (ivf === null || request.trainPointsPerList === undefined) return request.x
  const wanted = Number(ivf[1]) * request.trainPointsPerList
  if (wanted >= request.rows) return request.x
  return gatherRows(request.x, request.dim, sampleRows(request.rows, wanted, request.seed + 1))
}

/** Builds, tunes and saves the index a request describes; returns the saved artifact. */
export const buildAnnIndex = (request: AnnBuildRequest) =>
  Effect.scoped(
    Effect.gen(function* () {
      const faiss = yield* Faiss
      const { x, ids, rows, dim, metric } = request
      const factory = withIds(request.factory)
      const index = yield* faiss.createIndex({ dim, factory, metric }).pipe(Effect.mapError(faissFailure(`cannot create "${factory}"`)))
      const trained = yield* index.isTrained.pipe(Effect.mapError(faissFailure("isTrained")))
      const { quantizer } = request
      const [trainTime] = yield* Effect.timed(
        quantizer !== undefined
          ? index.setCentroids(quantizer.centroids).pipe(Effect.mapError(faissFailure(`setting the centroids of "${factory}"`)))
          : trained
            ? Effect.void
            : index.train(trainingSample(request, factory)).pipe(Effect.mapError(faissFailure(`training "${factory}"`)))
      )
      const [addTime] = yield* Effect.timed(
        index.addWithIds(x, ids, quantizer?.lists).pipe(Effect.mapError(faissFailure("adding vectors with ids")))
      )

      const label = request.label ?? "ann-index"
      const tuning: Array<TuningStep> = []
      let searchParameters: Record<string, number> = {}
      let recallAt10 = 1
      let warning: string | undefined
      const parameter = tunable(factory)
      if (parameter !== undefined || !isExact(factory)) {
        const k = Math.min(RECALL_K, rows)
        const queries = gatherRows(x, dim, sampleRows(rows, request.sampleQueries, request.seed))
        const truth = yield* Effect.scoped(
          Effect.gen(function* () {
            const flat = yield* faiss.createIndex({ dim, factory: "Flat", metric })
            yield* flat.add(x)
            const exact = yield* flat.search(queries, k)
            return exact.labels.map((row) => (row < 0n ? -1n : ids[Number(row)]!))
          })
        ).pipe(Effect.mapError(faissFailure("exact search for the recall sample")))
        const nq = queries.length / dim
        const measure = Effect.gen(function* () {
          const [searchTime, found] = yield* Effect.timed(index.search(queries, k).pipe(Effect.mapError(faissFailure("search"))))
          return { recall: recallAtK(found.labels, truth, k), queriesPerSecond: nq / Math.max(1e-9, Duration.toSeconds(searchTime)) }
        })
        if (parameter === undefined) {
          recallAt10 = (yield* measure).recall
        } else {
          let value = Math.min(parameter.start, parameter.cap)
          for (;;) {
            yield* index.setParameter(parameter.name, value).pipe(Effect.mapError(faissFailure(`setting ${parameter.name}`)))
            const step = yield* measure
            tuning.push({ name: parameter.name, value, ...step })
            recallAt10 = step.recall
            searchParameters = { [parameter.name]: value }
            if (recallAt10 >= request.targetRecall || value >= parameter.cap) break
            value = Math.min(value * 2, parameter.cap)
          }
        }
        if (recallAt10 < request.targetRecall) {
          // The best step, not the last: the first (smallest, fastest) among equals.
          const best = tuning.reduce<TuningStep | undefined>((b, s) => (b === undefined || s.recall > b.recall ? s : b), undefined)
          const at = best === undefined ? "" : ` ${best.name} ${best.value}`
          const tried = tuning.length === 0 ? "" : ` (tried ${parameter?.name} ${tuning.map((s) => s.value).join(", ")} on ${nq} sampled queries)`
          const missed =
            `recall@10 target ${request.targetRecall} not reached by ${factory}: ` +
            `best ${(best?.recall ?? recallAt10).toFixed(3)}${at === "" ? "" : ` at${at}`}${tried}; ${advice(factory, parameter)}`
          if ((request.onMissedTarget ?? "fail") === "fail") {
            return yield* StageError.fatal(`${label}: ${missed}; or set onMissedTarget: warn to accept the best found`)
          }
          warning = `${missed}; kept${at === "" ? " it" : at} (onMissedTarget: warn)`
          if (best !== undefined) {
            recallAt10 = best.recall
            searchParameters = { [best.name]: best.value }
            // The saved file holds the kept value too, not the last one tried.
            yield* index.setParameter(best.name, best.value).pipe(Effect.mapError(faissFailure(`setting ${best.name}`)))
          }
        }
      }

      const seconds = { train: Duration.toSeconds(trainTime), add: Duration.toSeconds(addTime) }
      const saved: AnnIndexDescriptor = yield* writeAnnIndex(
        request.workDir,
        index,
        {
          rows,
          dim,
          metric,
          targetRecall: request.targetRecall,
          ...(request.quantizerLabel === undefined ? {} : { quantizer: request.quantizerLabel }),
          factory,
          searchParameters,
          recallAt10,
          seconds,
          tuning,
          ...(warning === undefined ? {} : { warning })
        },
        // The kept parameter is in the file: with a warning it is not the last one tried.
        request.identity === undefined || warning === undefined ? request.identity : `${request.identity} ${JSON.stringify(searchParameters)}`
      )
      return saved
    })
  )
