/**
 * `match/exhaustive-top`: the best `top` matches of each given origin row over every profile, by
 * the seed's score (the domain's `topMatchesEncoded`), with the profiles' scored fields read from
 * their table's codes file and encoded once per worker. The encoding (42 MB at 1,000,000 profiles)
 * is kept for the next task on the same file: a match-exhaustive stage sends one task per slice of
 * its origins. That is a cache of a file's contents, never a result: the output depends on the
 * input alone.
 */
import { Schema } from "effect"
import { encodeProfileCodes, type EncodedProfiles, MatchConfig, topMatchesEncoded } from "../domain/matching/index.js"
import { defineWorkerTask } from "../runtime/worker-task.js"
import { CodesFileRef, readCodesFileSync } from "./profile-table-codes.js"

let cached: { readonly key: string; readonly enc: EncodedProfiles } | null = null

const encodedFor = (ref: CodesFileRef): EncodedProfiles => {
  const key = JSON.stringify(ref)
  if (cached?.key !== key) cached = { key, enc: encodeProfileCodes(readCodesFileSync(ref), ref.rows) }
  return cached.enc
}

const ScoredRow = Schema.Struct({ row: Schema.Int, score: Schema.Number })

/** The exhaustive top matches of some origin rows. */
export const ExhaustiveTopTask = defineWorkerTask({
  name: "match/exhaustive-top",
  module: import.meta.url,
  input: Schema.Struct({
    codes: CodesFileRef,
    /** Origin rows (0-based: profile id - 1). */
    origins: Schema.Array(Schema.Int.pipe(Schema.nonNegative())),
    top: Schema.Int.pipe(Schema.positive()),
    match: MatchConfig
  }),
  output: Schema.Struct({
    /** Per origin, in input order: its best matches (rows, scores), best first. */
    matches: Schema.Array(Schema.Array(ScoredRow))
  }),
  run: (input) => {
    const enc = encodedFor(input.codes)
    return {
      matches: input.origins.map((origin) => {
        if (origin >= enc.count) throw new RangeError(`origin row ${origin} is outside the ${enc.count} profiles`)
        return topMatchesEncoded(enc, origin, input.match, input.top).matches
      })
    }
  }
})
