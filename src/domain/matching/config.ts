/**
 * Weights, gates and floor of the match score (seed-spec §6.1, §6.3), as Schemas because they come
 * from users (pipeline files, dashboard flags). Defaults are the seed's: weights platforms 0.45,
 * availability 0.35, games 0.10, styles 0.05, interaction 0.05; gates platforms >= 0.20 and
 * availability >= 0.30; kept matches need score >= 0.05.
 *
 * The seed asserted its weights sum to 1 within 1e-6; we require 1e-9, tight enough to catch a
 * typo and loose enough for decimal fractions such as 0.45 + 0.35 + 0.1 + 0.05 + 0.05.
 */
import { Data, Either, ParseResult, Schema } from "effect"

/** A number in [0, 1]; NaN and infinities fail. */
const UnitInterval = Schema.Number.pipe(
  Schema.filter((n) => (n >= 0 && n <= 1) || `must be a number in [0, 1], got ${n}`, {
    identifier: "UnitInterval"
  })
)

const WEIGHT_SUM_TOLERANCE = 1e-9

/** The five component weights. All five are required when weights are given at all. */
export const MatchWeights = Schema.Struct({
  platforms: UnitInterval,
  availability: UnitInterval,
  games: UnitInterval,
  styles: UnitInterval,
  interaction: UnitInterval
}).pipe(
  Schema.filter(
    (w) => {
      const sum = w.platforms + w.availability + w.games + w.styles + w.interaction
      return Math.abs(sum - 1) <= WEIGHT_SUM_TOLERANCE || `weights must sum to 1 (within 1e-9), got ${sum}`
    },
    { identifier: "MatchWeights" }
  )
)
export type MatchWeights = typeof MatchWeights.Type

export const DEFAULT_MATCH_WEIGHTS: MatchWeights = {
  platforms: 0.45,
  availability: 0.35,
  games: 0.1,
  styles: 0.05,
  interaction: 0.05
}

export const DEFAULT_MATCH_GATES = { platforms: 0.2, availability: 0.3 } as const

/**
 * Minimum platform and availability similarities; a pair below either scores 0. Each gate may be
 * given alone, the other keeps its default.
 */
export const MatchGates = Schema.Struct({
  platforms: Schema.optionalWith(UnitInterval, { default: () => DEFAULT_MATCH_GATES.platforms, exact: true }),
  availability: Schema.optionalWith(UnitInterval, { default: () => DEFAULT_MATCH_GATES.availability, exact: true })
})
export type MatchGates = typeof MatchGates.Type

export const DEFAULT_MIN_SCORE = 0.05

export const MatchConfig = Schema.Struct({
  weights: Schema.optionalWith(
    MatchWeights.annotations({ description: "component weights; must sum to 1", default: DEFAULT_MATCH_WEIGHTS }),
    { default: () => DEFAULT_MATCH_WEIGHTS, exact: true }
  ),
  gates: Schema.optionalWith(
    MatchGates.annotations({ description: "minimum platform / availability similarity", default: DEFAULT_MATCH_GATES }),
    { default: () => DEFAULT_MATCH_GATES, exact: true }
  ),
  minScore: Schema.optionalWith(
    UnitInterval.annotations({ description: "floor a ranked match's score must reach", default: DEFAULT_MIN_SCORE }),
    { default: () => DEFAULT_MIN_SCORE, exact: true }
  )
})
export type MatchConfig = typeof MatchConfig.Type

/** The seed's configuration. */
export const DEFAULT_MATCH_CONFIG: MatchConfig = {
  weights: DEFAULT_MATCH_WEIGHTS,
  gates: DEFAULT_MATCH_GATES,
  minScore: DEFAULT_MIN_SCORE
}

/** One reason a config was rejected: the dotted path of the field and what was wrong with it. */
export interface MatchConfigIssue {
  readonly path: string
  readonly message: string
}

export class MatchConfigError extends Data.TaggedError("MatchConfigError")<{
  readonly issues: ReadonlyArray<MatchConfigIssue>
}> {
  override get message(): string {
    return this.issues.map((i) => `${i.path === "" ? "(config)" : i.path}: ${i.message}`).join("\n")
  }
}

const toConfigError = (error: ParseResult.ParseError): MatchConfigError =>
  new MatchConfigError({
    issues: ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
      path: issue.path.map(String).join("."),
      message: issue.message
    }))
  })

/** Decodes user input (e.g. `{ gates: { platforms: 0.5 } }`) into a full config, all issues at once. */
export const decodeMatchConfig = (input: unknown): Either.Either<MatchConfig, MatchConfigError> =>
  Schema.decodeUnknownEither(MatchConfig, { errors: "all", onExcessProperty: "error" })(input).pipe(
    Either.mapLeft(toConfigError)
  )
