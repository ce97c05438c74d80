/**
 * `ann-index`: a saved FAISS index over profile embeddings, with its tuned search parameters.
 *
 * Files, in the stage directory: `index.faiss` (FAISS's own format, ids = profile ids) and
 * `index.json`, the build's record (AnnIndexTuning: every tuning step with its recall and
 * queries/s, train and add times) for people. Everything a reader acts on (factory, metric,
 * search parameters, rows, dim, the warning of a missed recall target) is in the descriptor.
 */
import { createHash } from "node:crypto"
import { mkdir, rename, rm } from "node:fs/promises"
import { dirname, join } from "node:path"
import { Effect, Schema, type Scope } from "effect"
import { type ArtifactOf, defineArtifactKind } from "../runtime/artifact.js"
import { type ArtifactStoreError, StageError } from "../runtime/errors.js"
import { ArtifactStore } from "../runtime/services/artifact-store.js"
import { Faiss, type FaissError, type FaissIndex } from "../services/faiss.js"
import { readJsonFile } from "./text-file.js"

const SearchParameters = Schema.Record({ key: Schema.String, value: Schema.Number })

export const AnnIndex = defineArtifactKind("ann-index", "a saved FAISS index over profile embeddings, ids = profile ids", {
  path: Schema.String,
  factory: Schema.String,
  metric: Schema.Literal("l2", "ip"),
  rows: Schema.Number,
  dim: Schema.Number,
  /** Tuned search parameters, e.g. `{ nprobe: 16 }` or `{ efSearch: 64 }`. */
  searchParameters: SearchParameters,
  /** Measured recall@10 against exact search on a sample. */
  recallAt10: Schema.Number,
  /**
   * Set when the recall target was missed and the pipeline accepted it (`onMissedTarget: warn`):
   * what was missed, the best found and where. Absent otherwise (descriptors before it lack it).
   */
  warning: Schema.optional(Schema.String)
})

/** An AnnIndex descriptor. */
export type AnnIndexDescriptor = ArtifactOf<typeof AnnIndex>

/** One step of the search-parameter tuning: the value tried, its recall@10 and its queries/s. */
export const TuningStep = Schema.Struct({
  name: Schema.String,
  value: Schema.Number,
  recall: Schema.Number,
  /** Wall time of that step's search, for information only. */
  queriesPerSecond: Schema.Number
})
export type TuningStep = typeof TuningStep.Type

/** The contents of `index.json`, in the order written. */
export const AnnIndexTuning = Schema.Struct({
  rows: Schema.Number,
  dim: Schema.Number,
  metric: Schema.Literal("l2", "ip"),
  targetRecall: Schema.Number,
  /** What the coarse quantizer came from, when not trained here (`kmeans centroids`, ...). */
  quantizer: Schema.optional(Schema.String),
  /** The factory string built (with `IDMap,` where the index does not store ids itself). */
  factory: Schema.String,
  searchParameters: SearchParameters,
  recallAt10: Schema.Number,
  /** Wall seconds of training and adding (never part of the digest). */
  seconds: Schema.Struct({ train: Schema.Number, add: Schema.Number }),
  tuning: Schema.Array(TuningStep),
  /** As the descriptor's `warning`: written only when the recall target was missed and accepted. */
  warning: Schema.optional(Schema.String)
})
export type AnnIndexTuning = typeof AnnIndexTuning.Type

const INDEX_FILE = "index.faiss"
const TUNING_FILE = "index.json"

/** Where the index file of a stage directory goes (a stage builds it before it can save it). */
export const annIndexPath = (workDir: string): string => join(workDir, INDEX_FILE)

const fromFaiss = (what: string) => (error: FaissError) => StageError.wrap(what, error.reason === "io")(error)

/**
 * Saves a built index as the artifact of `workDir`: the index file (written under a temporary name
 * and renamed, so a crash never leaves a partial file under the final name), then `index.json`.
 *
 * The digest is the index file's, or, when the file is a deterministic function of known inputs
 * (`identity`: input digests, factory, metric; nothing trained), made from that description
 * instead of reading the file back (520 MB at 1,000,000 x 128, ~1 s).
 */
export const writeAnnIndex = (
  workDir: string,
  index: FaissIndex,
  tuning: AnnIndexTuning,
  identity?: string
): Effect.Effect<AnnIndexDescriptor, StageError | ArtifactStoreError, ArtifactStore> =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const path = annIndexPath(workDir)
    const tmp = `${path}.tmp`
    yield* Effect.promise(() => mkdir(dirname(tmp), { recursive: true }))
    yield* index.write(tmp).pipe(Effect.mapError(fromFaiss(`ann-index: writing ${tmp}`)))
    yield* Effect.tryPromise({
      try: () => rename(tmp, path),
      catch: (cause) => StageError.retryable(`ann-index: cannot rename ${tmp}: ${String(cause)}`, cause)
    }).pipe(Effect.tapError(() => Effect.promise(() => rm(tmp, { force: true }))))
    const digest =
      identity === undefined ? yield* store.digestFile(path) : createHash("sha256").update(`ann-index:${identity}`).digest("hex")
    yield* store.writeFile(join(workDir, TUNING_FILE), `${JSON.stringify(tuning, null, 2)}\n`)
    return {
      kind: "ann-index" as const,
      path,
      factory: tuning.factory,
      metric: tuning.metric,
      rows: tuning.rows,
      dim: tuning.dim,
      searchParameters: tuning.searchParameters,
      recallAt10: tuning.recallAt10,
      ...(tuning.warning === undefined ? {} : { warning: tuning.warning }),
      digest
    }
  })

/**
 * The saved index, read back with its tuned search parameters applied: ready to search as the
 * build measured it. Freed when the scope closes.
 */
export const openAnnIndex = (
  index: Pick<AnnIndexDescriptor, "path" | "searchParameters">
): Effect.Effect<FaissIndex, StageError, Faiss | Scope.Scope> =>
  Effect.gen(function* () {
    const faiss = yield* Faiss
    const opened = yield* faiss.readIndex(index.path)
    for (const [name, value] of Object.entries(index.searchParameters)) yield* opened.setParameter(name, value)
    return opened
  }).pipe(Effect.mapError(fromFaiss(`cannot read the FAISS index ${index.path}`)))

/** The build's record (`index.json` beside the index file). */
export const readAnnIndexTuning = (index: Pick<AnnIndexDescriptor, "path">): Effect.Effect<AnnIndexTuning, StageError> =>
  readJsonFile(join(dirname(index.path), TUNING_FILE), AnnIndexTuning, "ann-index tuning record")
