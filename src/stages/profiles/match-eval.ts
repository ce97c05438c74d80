/**
 * `match-eval`: how good are the matches ANN retrieval finds? For a seeded sample of origins it
 * searches the index with each origin's embedding (`candidates` neighbours, the origin excluded),
 * rescores them with the seed's weighted, gated match score and keeps the best `top`; then it
 * computes the exhaustive best `top` by the same score over every profile (encoded scoring, one
 * pass of typed-array loops per origin). The JSON (match-result.ts) holds per-origin lists and the
 * figures: gate-pass share of candidates, share of origins with `top` matches, mean top score (ANN
 * and exhaustive), recall of the exhaustive top by the ANN top, and time per origin.
 *
 * Profiles' codes come from the table's codes file, or are regenerated from its seed
 * (match-source.ts); the embeddings' ids and the index's labels are profile ids.
 *
 * `match-eval-exact` is the same evaluation with exact neighbours instead of an index (inputs
 * `profiles` and `embeddings`): the search runs block by block over the embedding matrix
 * (faiss-exact-search.ts). It is the baseline for embeddings without structure for an ANN index to
 * exploit (seed-random), without building and saving a 512 MB flat index at 1,000,000 profiles.
 */
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { DEFAULT_MATCH_CONFIG, encodeProfileCodes, MatchConfig, rankEncodedCandidates } from "../../domain/matching/index.js"
import { Faiss } from "../../layers/faiss/service.js"
import type { SearchResult } from "../../layers/faiss/types.js"
import { StageError } from "../../runtime/errors.js"
import { ArtifactStore } from "../../runtime/services/artifact-store.js"
import { StageProgress } from "../../runtime/services/progress.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"
import { AnnIndex } from "../../artifacts/ann-index.js"
import { MatchEvaluation } from "../../artifacts/match-evaluation.js"
import { ProfileTable } from "../../artifacts/profile-table.js"
import { VectorMatrix } from "../../artifacts/vector-matrix.js"
import { exhaustiveTop, figuresOf, recallOf, sampleRows, scoreRecallOf } from "./match-evaluate.js"
import type { MatchEvalResult, OriginResult } from "./match-result.js"
import { exactSearchMatrix } from "./faiss-exact-search.js"
import { exhaustiveTops } from "./match-exhaustive.js"
import { profileCodes, readMatrixRows, resolveChunkLayout } from "./match-source.js"

const PositiveInt = Schema.Int.pipe(Schema.positive())

export const ChunkSizeSetting = Schema.Union(Schema.Literal("auto"), PositiveInt)

const MatchEvalConfig = Schema.Struct({
  origins: field(PositiveInt, 200, "how many origins to sample (seeded); all profiles if fewer"),
  candidates: field(PositiveInt, 251, "ANN neighbours retrieved per origin (the origin excluded), as the seed"),
  top: field(PositiveInt, 10, "matches kept per origin"),
  seed: field(Schema.Int.pipe(Schema.nonNegative()), 42, "seed of the origin sample"),
  match: field(MatchConfig, DEFAULT_MATCH_CONFIG, "match score weights, gates and floor (defaults: the seed's)"),
  profileChunkSize: field(ChunkSizeSetting, "auto", "chunk size the profiles were generated with; auto infers it from the table")
})
type MatchEvalConfig = typeof MatchEvalConfig.Type
export type ProfilesRef = NonNullable<(typeof ProfileTable)["~descriptor"]>
type EmbeddingsRef = NonNullable<(typeof VectorMatrix)["~descriptor"]>

/** Where candidates come from: how the result describes it, and the search itself. */
interface Retrieval {
  readonly index: MatchEvalResult["index"]
  readonly search: (queries: Float32Array, k: number) => Effect.Effect<SearchResult, StageError, Faiss>
}

const fail = (message: string, cause?: unknown) => new StageError({ message, retryable: false, cause })

const evaluate = (config: MatchEvalConfig, profiles: ProfilesRef, embeddings: EmbeddingsRef, retrieval: Retrieval, workDir: string) =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const progress = yield* StageProgress
    const layout = yield* resolveChunkLayout(profiles, config.profileChunkSize)
    const enc = encodeProfileCodes(yield* profileCodes(profiles, layout), profiles.rows)
    const rowOfId = (id: number): number => {
      const row = id - layout.firstId
      return row >= 0 && row < enc.count ? row : -1
    }

    const sample = sampleRows(embeddings.rows, config.origins, config.seed)
    const n = sample.length
    yield* progress.setTotal(n, "origins")
    // Only the sampled rows are read: the queries are the origins' own embeddings.
    const matrix = yield* readMatrixRows(embeddings, sample)
    const queries = matrix.values
    const originIds = sample.map((r) => Number(matrix.ids[r]))
    for (const id of originIds) {
      if (rowOfId(id) < 0) return yield* Effect.fail(fail(`embedding id ${id} is not a profile of the table`))
    }

    // ANN: one batched search, then rescoring per origin.
    const k = Math.min(config.candidates + 1, embeddings.rows)
    const annStart = performance.now()
    const search = yield* retrieval.search(queries, k)
    const annRankings = originIds.map((id, i) => {
      const origin = rowOfId(id)
      const rows: Array<number> = []
      for (let j = 0; j < search.k && rows.length < config.candidates; j++) {
        const label = search.labels[i * search.k + j] as bigint
        if (label < 0n) continue
        const row = rowOfId(Number(label))
        if (row >= 0 && row !== origin) rows.push(row)
      }
      return rankEncodedCandidates(enc, origin, rows, config.match, config.top)
    })
    const annMs = performance.now() - annStart

    const { lists: exhaustiveLists, ms: exhaustiveMs } = yield* exhaustiveTops(
      profiles,
      layout,
      originIds.map(rowOfId),
      config,
      (rows) => exhaustiveTop(enc, rows, config.match, config.top)
    )
    const results: Array<OriginResult> = []
    for (let i = 0; i < n; i++) {
      const id = originIds[i] as number
      const ann = annRankings[i]!
      const exhaustive = exhaustiveLists[i]!.map((m) => ({ id: m.row + layout.firstId, score: m.score }))
      const annIds = ann.matches.map((m) => ({ id: m.row + layout.firstId, score: m.score }))
      results.push({
        id,
        candidates: ann.candidates,
        passedGates: ann.passedGates,
        ann: annIds,
        exhaustive,
        recall: recallOf(annIds, exhaustive),
        scoreRecall: scoreRecallOf(annIds, exhaustive)
      })
    }

    const figures = figuresOf(results, config.top, annMs, exhaustiveMs)
    const result: MatchEvalResult = {
      embeddingContent: embeddings.content,
      embeddings: { path: embeddings.path, idsPath: embeddings.idsPath, rows: embeddings.rows, dim: embeddings.dim },
      index: retrieval.index,
      profiles: { rows: profiles.rows, seed: profiles.seed, chunkSize: layout.chunkSize, firstId: layout.firstId },
      config: {
        origins: config.origins,
        candidates: config.candidates,
        top: config.top,
        seed: config.seed,
        match: config.match
      },
      figures,
      results
    }
    yield* progress.message(
      `${embeddings.content}: gate-pass ${(figures.candidateGatePassShare * 100).toFixed(1)}%, ` +
        `recall ${figures.recall.toFixed(3)} (tie-aware ${figures.scoreRecall.toFixed(3)}), mean top score ann ${figures.annMeanTopScore.toFixed(3)} / ` +
        `exhaustive ${figures.exhaustiveMeanTopScore.toFixed(3)}`
    )
    const path = join(workDir, "match-eval.json")
    const digest = yield* store.writeFile(path, JSON.stringify(result, null, 1))
    return { kind: "match-eval" as const, path, digest }
  })

export const matchEval = defineStageKind({
  name: "match-eval",
  version: 1,
  description: "Evaluates ANN matches against the exhaustive match score on a seeded sample of origins.",
  config: MatchEvalConfig,
  inputs: {
    profiles: { artifact: ProfileTable, description: "the profiles" },
    embeddings: { artifact: VectorMatrix, description: "profile embeddings (the index's vectors)" },
    index: { artifact: AnnIndex, description: "ANN index over the embeddings, ids = profile ids" }
  },
  output: MatchEvaluation,
  run: ({ config, inputs, workDir }) =>
    Effect.gen(function* () {
      const { profiles, embeddings, index } = inputs
      if (embeddings.dim !== index.dim) return yield* fail(`embeddings have dim ${embeddings.dim} but the index has ${index.dim}`)
      const search = (queries: Float32Array, k: number) =>
        Effect.scoped(
          Effect.gen(function* () {
            const faiss = yield* Faiss
            const idx = yield* faiss.readIndex(index.path)
            for (const [name, value] of Object.entries(index.searchParameters)) yield* idx.setParameter(name, value)
            return yield* idx.search(queries, Math.min(k, index.rows))
          })
        ).pipe(Effect.mapError((e) => fail(`ANN search on ${index.path} failed: ${e.message}`, e)))
      const described = { path: index.path, factory: index.factory, searchParameters: index.searchParameters, recallAt10: index.recallAt10 }
      return yield* evaluate(config, profiles, embeddings, { index: described, search }, workDir)
    })
})

export const matchEvalExact = defineStageKind({
  name: "match-eval-exact",
  version: 1,
  description: "match-eval with exact inner-product neighbours searched over the embedding matrix (no index).",
  config: MatchEvalConfig,
  inputs: {
    profiles: { artifact: ProfileTable, description: "the profiles" },
    embeddings: { artifact: VectorMatrix, description: "profile embeddings, searched exactly (inner product)" }
  },
  output: MatchEvaluation,
  run: ({ config, inputs, workDir }) =>
    evaluate(
      config,
      inputs.profiles,
      inputs.embeddings,
      {
        index: { path: inputs.embeddings.path, factory: "exact (Flat, inner product, over the matrix)", searchParameters: {}, recallAt10: 1 },
        search: (queries, k) => exactSearchMatrix(inputs.embeddings, queries, k, "ip")
      },
      workDir
    )
})
