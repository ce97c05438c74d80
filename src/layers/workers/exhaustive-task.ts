/**
 * `exhaustive-top`: the best `top` matches of each given origin row over every profile, by the
 * seed's score (the domain's `topMatchesEncoded`), with the profiles' scored fields read from their
 * table's codes file and encoded once per worker (kept for the next task on the same file: a
 * match-eval stage sends one task per slice of its origins, 42 MB of encoded fields at 1,000,000
 * profiles).
 */
import { Schema } from "effect"
import { encodeProfileCodes, type EncodedProfiles, MatchConfig, topMatchesEncoded } from "../../domain/matching/index.js"
import { CodesFileRef, readCodesFile } from "./codes-file.js"

export const ExhaustiveTopInput = Schema.Struct({
  codes: CodesFileRef,
  /** Origin rows (0-based: profile id - 1). */
  origins: Schema.Array(Schema.Int.pipe(Schema.nonNegative())),
  top: Schema.Int.pipe(Schema.positive()),
  match: MatchConfig
})
export type ExhaustiveTopInput = typeof ExhaustiveTopInput.Type

const EncodedMatch = Schema.Struct({ row: Schema.Int, score: Schema.Number })

export const ExhaustiveTopOutput = Schema.Struct({
  /** Per origin, in input order: its best matches, best first. */
  matches: Schema.Array(Schema.Array(EncodedMatch))
})
export type ExhaustiveTopOutput = typeof ExhaustiveTopOutput.Type

let cached: { readonly key: string; readonly enc: EncodedProfiles } | null = null

const encodedFor = (ref: CodesFileRef): EncodedProfiles => {
  const key = JSON.stringify(ref)
  if (cached?.key !== key) cached = { key, enc: encodeProfileCodes(readCodesFile(ref), ref.rows) }
  return cached.enc
}

export const exhaustiveTop = (input: ExhaustiveTopInput): ExhaustiveTopOutput => {
  const enc = encodedFor(input.codes)
  return {
    matches: input.origins.map((origin) => {
      if (origin >= enc.count) throw new RangeError(`origin row ${origin} is outside the ${enc.count} profiles`)
      return topMatchesEncoded(enc, origin, input.match, input.top).matches
    })
  }
}
