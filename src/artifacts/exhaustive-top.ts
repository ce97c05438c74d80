/**
 * `exhaustive-top`: the exhaustive best matches of a seeded sample of origin profiles over every
 * profile of a table, by the seed's match score: what match evaluations compare retrieval with.
 *
 * One JSON file (`exhaustive-top.json`, ExhaustiveTopFile below): the sample's settings (origins,
 * seed, top, match config), the origin rows (0-based: profile id - 1) in increasing order, and
 * per origin its best rows and their scores, best first. The file depends only on the profiles and
 * those settings, so its digest is stable from run to run; the time the computation took is in the
 * descriptor (`computeMs`), not the file.
 */
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { MatchConfig } from "../domain/matching/index.js"
import { type ArtifactOf, defineArtifactKind } from "../runtime/artifact.js"
import { type ArtifactStoreError, StageError } from "../runtime/errors.js"
import { ArtifactStore } from "../runtime/services/artifact-store.js"
import { readJsonFile } from "./text-file.js"

const NonNegativeInt = Schema.Int.pipe(Schema.nonNegative())
const PositiveInt = Schema.Int.pipe(Schema.positive())

/** The `exhaustive-top` artifact kind. */
export const ExhaustiveTop = defineArtifactKind("exhaustive-top", "exhaustive best matches of a seeded sample of origin profiles", {
  /** The JSON file (ExhaustiveTopFile). */
  path: Schema.String,
  /** Profiles the matches were searched over (the table's rows). */
  rows: NonNegativeInt,
  /** Origins in the sample. */
  origins: NonNegativeInt,
  /** Matches kept per origin (at most). */
  top: PositiveInt,
  /** Wall time of the scoring, in milliseconds (a fact about the run, not the data: not in the file). */
  computeMs: Schema.Number
})

/** An exhaustive-top descriptor. */
export type ExhaustiveTopDescriptor = ArtifactOf<typeof ExhaustiveTop>

/** The settings a sample was drawn and scored with. */
export const ExhaustiveTopConfig = Schema.Struct({
  /** Origins asked for (all profiles when there are fewer). */
  origins: PositiveInt,
  /** Seed of the origin sample. */
  seed: NonNegativeInt,
  top: PositiveInt,
  match: MatchConfig
})
export type ExhaustiveTopConfig = typeof ExhaustiveTopConfig.Type

/** One origin's best matches: rows and their scores, best first. */
export const OriginTop = Schema.Struct({ rows: Schema.Array(NonNegativeInt), scores: Schema.Array(Schema.Number) })
export type OriginTop = typeof OriginTop.Type

/** The file's content. */
export const ExhaustiveTopFile = Schema.Struct({
  config: ExhaustiveTopConfig,
  /** Profiles searched over. */
  rows: NonNegativeInt,
  /** Origin rows, increasing. */
  origins: Schema.Array(NonNegativeInt),
  /** Per origin, in the order of `origins`. */
  tops: Schema.Array(OriginTop)
})
export type ExhaustiveTopFile = typeof ExhaustiveTopFile.Type

const FILE = "exhaustive-top.json"

/** Writes the file into `workDir` (atomically, through the ArtifactStore) and returns its descriptor. */
export const writeExhaustiveTop = (
  workDir: string,
  content: ExhaustiveTopFile,
  computeMs: number
): Effect.Effect<ExhaustiveTopDescriptor, StageError | ArtifactStoreError, ArtifactStore> =>
  Effect.gen(function* () {
    if (content.tops.length !== content.origins.length) {
      return yield* StageError.fatal(`exhaustive top: ${content.tops.length} lists for ${content.origins.length} origins`)
    }
    const store = yield* ArtifactStore
    const path = join(workDir, FILE)
    const encoded = yield* Schema.encode(ExhaustiveTopFile)(content).pipe(Effect.mapError(StageError.wrap("exhaustive top: cannot encode")))
    const digest = yield* store.writeFile(path, JSON.stringify(encoded))
    return {
      kind: "exhaustive-top" as const,
      path,
      rows: content.rows,
      origins: content.origins.length,
      top: content.config.top,
      computeMs,
      digest
    }
  })

/** Reads and decodes the file; fails when it does not agree with its descriptor. */
export const readExhaustiveTop = (exhaustive: ExhaustiveTopDescriptor): Effect.Effect<ExhaustiveTopFile, StageError> =>
  Effect.gen(function* () {
    const content = yield* readJsonFile(exhaustive.path, ExhaustiveTopFile, "exhaustive top file")
    if (content.origins.length !== exhaustive.origins || content.tops.length !== content.origins.length || content.rows !== exhaustive.rows) {
      return yield* StageError.fatal(`exhaustive top ${exhaustive.path} does not match its descriptor (${exhaustive.origins} origins over ${exhaustive.rows} rows)`)
    }
    return content
  })
