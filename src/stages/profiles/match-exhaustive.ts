/**
 * `match-exhaustive`: the exhaustive best `top` matches, by the seed's match score over every
 * profile, of a seeded sample of `origins` profiles (match-evaluate.ts `sampleRows`), as an
 * `exhaustive-top` artifact (src/artifacts/exhaustive-top.ts). Match evaluations (`match-eval`,
 * `match-eval-exact`) compare their retrieval with it; it depends only on the profiles and this
 * stage's config, not on any embedding, so two evaluations of the same profiles share one stage and
 * the runtime's cache does the sharing (3.8 s of CPU at 1,000,000 profiles and 200 origins).
 *
 * Slices of the origins go to the WorkerPool (`match/exhaustive-top`, exhaustive-top-tasks.ts: each
 * worker reads and encodes the codes once, then scores 1,000,000 profiles per origin in ~3 ms):
 * 200 origins took 2.9 s on one thread, about half that on two workers.
 *
 * On a remote WorkerPool (no shared filesystem) every task carries the whole codes file's bytes
 * (55 bytes a profile: 55 MB at 1,000,000) instead of its path, so the origins go in a fixed
 * number of slices (REMOTE_SLICES), however many workers the pool has: fewer copies of the codes,
 * and a slice index that, with the cache key, identifies its input completely (each call is keyed
 * by them, so a cluster pool recognises a re-sent slice). Locally the slices follow the pool size.
 */
import { Effect, Schema } from "effect"
import { DEFAULT_MATCH_CONFIG, MatchConfig } from "../../domain/matching/index.js"
import { ExhaustiveTop, writeExhaustiveTop } from "../../artifacts/exhaustive-top.js"
import { ExhaustiveTopTask } from "../../artifacts/exhaustive-top-tasks.js"
import { codesRefOf, ProfileTable } from "../../artifacts/profile-table.js"
import { type CodesSource, readCodesBytes } from "../../artifacts/profile-table-codes.js"
import { StageError } from "../../runtime/errors.js"
import { StageProgress } from "../../runtime/services/progress.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"
import { WorkerPool, withChunkKey } from "../../services/worker-pool.js"
import { sampleRows } from "./match-evaluate.js"

const PositiveInt = Schema.Int.pipe(Schema.positive())

/** Slices of the origins on a remote pool: independent of its size, so that a slice's key names one input. */
const REMOTE_SLICES = 8

/** The `match-exhaustive` stage kind. */
export const matchExhaustive = defineStageKind({
  name: "match-exhaustive",
  version: 1,
  description: "Scores a seeded sample of origin profiles against every profile and keeps each one's exhaustive top matches.",
  config: Schema.Struct({
    origins: field(PositiveInt, 200, "how many origins to sample (seeded); all profiles if fewer"),
    seed: field(Schema.Int.pipe(Schema.nonNegative()), 42, "seed of the origin sample"),
    top: field(PositiveInt, 10, "matches kept per origin"),
    match: field(MatchConfig, DEFAULT_MATCH_CONFIG, "match score weights, gates and floor (defaults: the seed's)")
  }),
  inputs: { profiles: { artifact: ProfileTable, description: "the profiles to sample origins from and score against" } },
  output: ExhaustiveTop,
  run: ({ config, inputs, workDir, cacheKey }) =>
    Effect.gen(function* () {
      const pool = yield* WorkerPool
      const progress = yield* StageProgress
      const { profiles } = inputs
      const origins = sampleRows(profiles.rows, config.origins, config.seed)
      yield* progress.setTotal(origins.length, "origins")
      const ref = codesRefOf(profiles)
      const started = performance.now()
      const codes: CodesSource = pool.remote === true ? yield* readCodesBytes(ref) : ref
      const parts = Math.min(origins.length, pool.remote === true ? REMOTE_SLICES : pool.size * 4)
      const slices = Array.from({ length: parts }, (_, p) =>
        origins.slice(Math.floor((p * origins.length) / parts), Math.floor(((p + 1) * origins.length) / parts))
      )
      const lists = yield* Effect.forEach(
        slices,
        (slice, p) =>
          pool.run(ExhaustiveTopTask, { codes, origins: slice, top: config.top, match: config.match }).pipe(
            withChunkKey(cacheKey, p),
            Effect.tap(() => progress.advance(slice.length)),
            Effect.mapError(StageError.wrap("exhaustive scoring failed"))
          ),
        { concurrency: "unbounded" }
      )
      const computeMs = performance.now() - started
      const tops = lists.flatMap((l) => l.matches).map((matches) => ({ rows: matches.map((m) => m.row), scores: matches.map((m) => m.score) }))
      return yield* writeExhaustiveTop(workDir, { config, rows: profiles.rows, origins, tops }, computeMs)
    })
})
