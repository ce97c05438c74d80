/**
 * `match-eval`: how good are the matches ANN retrieval finds? For the origins of an exhaustive-top
 * artifact (match-exhaustive.ts: a seeded sample, each with its exhaustive best matches) it
 * searches the index with each origin's embedding (`candidates` neighbours, the origin excluded),
 * rescores them with the same match score and keeps the best `top`, then compares them with the
 * exhaustive ones. The JSON (match-result.ts) holds per-origin lists and the figures: gate-pass
 * share of candidates, share of origins with `top` matches, mean top score (ANN and exhaustive),
 * recall of the exhaustive top by the ANN top, and time per origin.
 *
 * Profiles' codes come from the table's codes file (src/artifacts/profile-table.ts); the
 * embeddings' ids and the index's labels are profile ids.
 *
 * `match-eval-exact` is the same evaluation with exact neighbours instead of an index (inputs
 * `profiles`, `embeddings` and `exhaustive`): the search runs block by block over the embedding
 * matrix (faiss-exact-search.ts). It is the baseline for embeddings without structure for an ANN
 * index to exploit (seed-random), without building and saving a 512 MB flat index at 1,000,000
 * profiles.
 */
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { encodeProfileCodes, rankEncodedCandidates } from "../../domain/matching/index.js"
import { AnnIndex, openAnnIndex } from "../../artifacts/ann-index.js"
import { ExhaustiveTop, type ExhaustiveTopDescriptor, readExhaustiveTop } from "../../artifacts/exhaustive-top.js"
import { MatchEvaluation } from "../../artifacts/match-evaluation.js"
import { ProfileTable, type ProfileTableDescriptor, readProfileCodes, rowOfProfileId } from "../../artifacts/profile-table.js"
import { readVectorIds, readVectorRows, VectorMatrix, type VectorMatrixDescriptor } from "../../artifacts/vector-matrix.js"
import { StageError } from "../../runtime/errors.js"
import { ArtifactStore } from "../../runtime/services/artifact-store.js"
import { StageProgress } from "../../runtime/services/progress.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"
import { Faiss, type SearchResult } from "../../services/faiss.js"
import { exactSearchMatrix } from "./faiss-exact-search.js"
import { figuresOf, recallOf, scoreRecallOf } from "./match-evaluate.js"
import type { MatchEvalResult, OriginResult } from "./match-result.js"

const MatchEvalConfig = Schema.Struct({
  candidates: field(Schema.Int.pipe(Schema.positive()), 251, "ANN neighbours retrieved per origin (the origin excluded), as the seed")
})
type MatchEvalConfig = typeof MatchEvalConfig.Type

/** Where candidates come from: how the result describes it, and the search itself. */
interface Retrieval {
  readonly index: MatchEvalResult["index"]
  readonly search: (queries: Float32Array, k: number) => Effect.Effect<SearchResult, StageError, Faiss>
}

/** The embedding row of each profile id in `ids` (one pass over the ids file); fails for an id without one. */
const embeddingRowsOf = (embeddings: VectorMatrixDescriptor, ids: ReadonlyArray<number>) =>
  Effect.gen(function* () {
    const all = yield* readVectorIds(embeddings)
    const wanted = new Map(ids.map((id) => [BigInt(id), -1]))
    for (let r = 0; r < all.length; r++) {
      const id = all[r] as bigint
      if (wanted.get(id) === -1) wanted.set(id, r)
    }
    return yield* Effect.forEach(ids, (id) => {
      const row = wanted.get(BigInt(id)) ?? -1
      return row >= 0 ? Effect.succeed(row) : Effect.fail(StageError.fatal(`profile ${id} has no embedding in ${embeddings.idsPath}`))
    })
  })

const evaluate = (
  config: MatchEvalConfig,
  profiles: ProfileTableDescriptor,
  embeddings: VectorMatrixDescriptor,
  exhaustive: ExhaustiveTopDescriptor,
  retrieval: Retrieval,
  workDir: string
) =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const progress = yield* StageProgress
    if (exhaustive.rows !== profiles.rows) {
      return yield* StageError.fatal(`the exhaustive top was searched over ${exhaustive.rows} profiles, the table holds ${profiles.rows}`)
    }
    const tops = yield* readExhaustiveTop(exhaustive)
    const { top, match } = tops.config
    const enc = encodeProfileCodes(yield* readProfileCodes(profiles), profiles.rows)
    const n = tops.origins.length
    yield* progress.setTotal(n, "origins")
    // Profile id = row + 1 (profile-table.ts); only the origins' own embeddings are read: they are the queries.
    const originIds = tops.origins.map((row) => row + 1)
    const queries = yield* readVectorRows(embeddings, yield* embeddingRowsOf(embeddings, originIds))

    // ANN: one batched search, then rescoring per origin.
    const k = Math.min(config.candidates + 1, embeddings.rows)
    const annStart = performance.now()
    const search = yield* retrieval.search(queries, k)
    const annRankings = tops.origins.map((origin, i) => {
      const rows: Array<number> = []
      for (let j = 0; j < search.k && rows.length < config.candidates; j++) {
        const label = search.labels[i * search.k + j] as bigint
        if (label < 0n) continue
        const row = rowOfProfileId(profiles, Number(label))
        if (row >= 0 && row !== origin) rows.push(row)
      }
      return rankEncodedCandidates(enc, origin, rows, match, top)
    })
    const annMs = performance.now() - annStart
    yield* progress.advance(n)

    const results: Array<OriginResult> = []
    for (let i = 0; i < n; i++) {
      const ann = annRankings[i]!
      const best = tops.tops[i]!
      const exhaustiveIds = best.rows.map((row, j) => ({ id: row + 1, score: best.scores[j] as number }))
      const annIds = ann.matches.map((m) => ({ id: m.row + 1, score: m.score }))
      results.push({
        id: originIds[i] as number,
        candidates: ann.candidates,
        passedGates: ann.passedGates,
        ann: annIds,
        exhaustive: exhaustiveIds,
        recall: recallOf(annIds, exhaustiveIds),
        scoreRecall: scoreRecallOf(annIds, exhaustiveIds)
      })
    }

    const figures = figuresOf(results, top, annMs, exhaustive.computeMs)
    const result: MatchEvalResult = {
      embeddingContent: embeddings.content,
      embeddings: { path: embeddings.path, idsPath: embeddings.idsPath, rows: embeddings.rows, dim: embeddings.dim },
      index: retrieval.index,
      profiles: { rows: profiles.rows, seed: profiles.seed, chunkSize: profiles.chunkSize, firstId: 1 },
      config: { origins: tops.config.origins, candidates: config.candidates, top, seed: tops.config.seed, match },
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

const exhaustiveInput = { artifact: ExhaustiveTop, description: "the origins and their exhaustive top matches (match-exhaustive)" }
const profilesInput = { artifact: ProfileTable, description: "the profiles" }

/** The `match-eval` stage kind: ANN retrieval through a saved index. */
export const matchEval = defineStageKind({
  name: "match-eval",
  // 2: origins, top and the match config come from an exhaustive-top input (match-exhaustive).
  // 3: the index's `warning` (a missed recall target) is carried into the result.
  version: 3,
  description: "Evaluates ANN matches against the exhaustive match score on a seeded sample of origins.",
  config: MatchEvalConfig,
  inputs: {
    profiles: profilesInput,
    embeddings: { artifact: VectorMatrix, description: "profile embeddings (the index's vectors)" },
    index: { artifact: AnnIndex, description: "ANN index over the embeddings, ids = profile ids" },
    exhaustive: exhaustiveInput
  },
  output: MatchEvaluation,
  run: ({ config, inputs, workDir }) =>
    Effect.gen(function* () {
      const { profiles, embeddings, index, exhaustive } = inputs
      if (embeddings.dim !== index.dim) return yield* StageError.fatal(`embeddings have dim ${embeddings.dim} but the index has ${index.dim}`)
      const search = (queries: Float32Array, k: number) =>
        Effect.scoped(
          Effect.flatMap(openAnnIndex(index), (opened) =>
            opened.search(queries, Math.min(k, index.rows)).pipe(Effect.mapError(StageError.wrap(`ANN search on ${index.path} failed`)))
          )
        )
      const described = {
        path: index.path,
        factory: index.factory,
        searchParameters: index.searchParameters,
        recallAt10: index.recallAt10,
        // Only when present, so files of indexes without a warning keep their bytes.
        ...(index.warning === undefined ? {} : { warning: index.warning })
      }
      return yield* evaluate(config, profiles, embeddings, exhaustive, { index: described, search }, workDir)
    })
})

/** The `match-eval-exact` stage kind: exact neighbours over the embedding matrix, no index. */
export const matchEvalExact = defineStageKind({
  name: "match-eval-exact",
  // 2: as match-eval.
  version: 2,
  description: "match-eval with exact inner-product neighbours searched over the embedding matrix (no index).",
  config: MatchEvalConfig,
  inputs: {
    profiles: profilesInput,
    embeddings: { artifact: VectorMatrix, description: "profile embeddings, searched exactly (inner product)" },
    exhaustive: exhaustiveInput
  },
  output: MatchEvaluation,
  run: ({ config, inputs, workDir }) =>
    evaluate(
      config,
      inputs.profiles,
      inputs.embeddings,
      inputs.exhaustive,
      {
        index: { path: inputs.embeddings.path, factory: "exact (Flat, inner product, over the matrix)", searchParameters: {}, recallAt10: 1 },
        search: (queries, k) => exactSearchMatrix(inputs.embeddings, queries, k, "ip")
      },
      workDir
    )
})
