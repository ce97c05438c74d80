/**
 * The dashboard's HTTP boundary as Schemas: request parameters (decoded, so a bad value is a 400
 * naming the parameter) and every JSON response (encoded by the server, decoded by the tests and
 * usable by any client). Field names follow the domain's `Profile` record.
 *
 * `ApiProfile` is structural (types, not vocabularies): the dashboard serves whatever the profiles
 * table holds, including rows a user edited or imported, and must not fail on a value outside the
 * generator's lists.
 */
import { Schema } from "effect"
import { DEFAULT_TOP } from "../domain/matching/index.js"

/** The seed's k_search: 10 · 25 + 1 (seed-spec §6.1). */
export const DEFAULT_CANDIDATES = 251
export const MAX_CANDIDATES = 4096
export const MAX_TOP = 100
export const DEFAULT_SEARCH_LIMIT = 20
export const MAX_SEARCH_LIMIT = 100

/**
 * Plain decimal digits, no sign, no leading zero, no spaces: `Number()` alone would also read
 * `0x5`, `1e1`, `5.0`, `+5` and `5 ` (a `%20`) as numbers, so one resource would answer to many URLs.
 */
const DECIMAL = /^(0|[1-9][0-9]*)$/

/** A strictly decimal integer in a range, from a URL string; the message names what was expected. */
const IntParam = (min: number, max: number) => {
  const expected = `expected a decimal integer from ${min} to ${max}`
  return Schema.String.pipe(
    Schema.filter((s) => DECIMAL.test(s) || expected),
    Schema.compose(Schema.NumberFromString),
    Schema.filter((n) => (Number.isSafeInteger(n) && n >= min && n <= max) || expected)
  )
}

export const ProfileIdParams = Schema.Struct({ id: IntParam(0, Number.MAX_SAFE_INTEGER) })

export const MatchQuery = Schema.Struct({
  top: Schema.optionalWith(IntParam(1, MAX_TOP), { default: () => DEFAULT_TOP }),
  candidates: Schema.optionalWith(IntParam(1, MAX_CANDIDATES), { default: () => DEFAULT_CANDIDATES })
})

export const SearchQuery = Schema.Struct({
  q: Schema.String.pipe(
    Schema.filter((s) => (s.trim().length >= 1 && s.length <= 100) || "expected 1 to 100 characters")
  ),
  limit: Schema.optionalWith(IntParam(1, MAX_SEARCH_LIMIT), { default: () => DEFAULT_SEARCH_LIMIT })
})

export const ApiProfile = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  age: Schema.Int,
  city: Schema.String,
  state: Schema.String,
  sex: Schema.String,
  musicGenres: Schema.Array(Schema.String),
  favouriteGames: Schema.Array(Schema.String),
  platforms: Schema.Array(Schema.String),
  playStyles: Schema.Array(Schema.String),
  availability: Schema.String,
  desiredInteraction: Schema.String,
  sharesContact: Schema.Boolean,
  description: Schema.String,
  yearsOfExperience: Schema.Int,
  mainGoal: Schema.String,
  usesMicrophone: Schema.Boolean,
  languages: Schema.Array(Schema.String),
  competitiveLevel: Schema.String,
  communicationStyle: Schema.String
})
export type ApiProfile = typeof ApiProfile.Type

const Components = Schema.Struct({
  platforms: Schema.Number,
  availability: Schema.Number,
  games: Schema.Number,
  styles: Schema.Number,
  interaction: Schema.Number
})

export const ApiMatch = Schema.Struct({
  id: Schema.Int,
  score: Schema.Number,
  components: Components,
  weights: Components,
  gates: Schema.Struct({ platforms: Schema.Number, availability: Schema.Number }),
  profile: ApiProfile
})
export type ApiMatch = typeof ApiMatch.Type

export const MatchResponse = Schema.Struct({
  origin: ApiProfile,
  matches: Schema.Array(ApiMatch),
  /** Distinct candidates the index returned and that were scored (the origin excluded). */
  candidates: Schema.Int,
  /** Of those, how many passed both gates. */
  passedGates: Schema.Int,
  /** The floor a kept match must reach (seed: 0.05). */
  minScore: Schema.Number,
  tookMs: Schema.Number
})
export type MatchResponse = typeof MatchResponse.Type

export const SearchHit = Schema.Struct({ id: Schema.Int, name: Schema.String, age: Schema.Int, city: Schema.String, state: Schema.String })
export type SearchHit = typeof SearchHit.Type

export const SearchResponse = Schema.Struct({ q: Schema.String, profiles: Schema.Array(SearchHit) })
export type SearchResponse = typeof SearchResponse.Type

export const Health = Schema.Struct({
  status: Schema.Literal("loading", "ready", "error"),
  /** What the server is doing or what went wrong (with the command to run when artifacts are missing). */
  message: Schema.String,
  pipeline: Schema.String,
  run: Schema.NullOr(Schema.String),
  profiles: Schema.NullOr(Schema.Int),
  embeddingDim: Schema.NullOr(Schema.Int),
  index: Schema.NullOr(
    Schema.Struct({
      factory: Schema.String,
      metric: Schema.String,
      ntotal: Schema.Int,
      searchParameters: Schema.Record({ key: Schema.String, value: Schema.Number }),
      recallAt10: Schema.Number
    })
  ),
  loadMs: Schema.NullOr(Schema.Number)
})
export type Health = typeof Health.Type

export const ApiError = Schema.Struct({
  error: Schema.String,
  /** The request parameter at fault, for 400s. */
  parameter: Schema.optional(Schema.String)
})
export type ApiError = typeof ApiError.Type
