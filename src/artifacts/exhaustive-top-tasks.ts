/**
 * `match/exhaustive-top`: the best `top` matches of each given origin row over every profile, by
 * the seed's score (the domain's `topMatchesEncoded`), with the profiles' scored fields read from
 * their table's codes file (or, on a worker that cannot read the caller's files, from the codes
 * bytes sent in the input: `CodesSource`) and encoded once per worker. The encoding (42 MB at
 * 1,000,000 profiles) is kept for the next task on the same codes: a match-exhaustive stage sends
 * one task per slice of its origins. That is a cache of the codes' contents (keyed by the file ref,
 * or by a hash of the bytes), never a result: the output depends on the input alone.
 */
import { createHash } from "node:crypto"
import { Schema } from "effect"
import { encodeProfileCodes, type EncodedProfiles, MatchConfig, topMatchesEncoded } from "../domain/matching/index.js"
import { defineWorkerTask } from "../runtime/worker-task.js"
import { CodesSource, readCodesFileSync } from "./profile-table-codes.js"

let cached: { readonly key: string; readonly enc: EncodedProfiles } | null = null

/** What identifies the codes: the file ref, or the bytes' layout and sha256 (a hash: they are megabytes). */
const keyOf = (source: CodesSource): string => {
  if (!("bytes" in source)) return JSON.stringify(source)
  const { bytes, ...layout } = source
  return JSON.stringify({ ...layout, sha256: createHash("sha256").update(bytes).digest("hex") })
}

const encodedFor = (source: CodesSource): EncodedProfiles => {
  const key = keyOf(source)
  if (cached?.key !== key) cached = { key, enc: encodeProfileCodes(readCodesFileSync(source), source.rows) }
  return cached.enc
}

const ScoredRow = Schema.Struct({ row: Schema.Int, score: Schema.Number })

/** The exhaustive top matches of some origin rows. */
export const ExhaustiveTopTask = defineWorkerTask({
  name: "match/exhaustive-top",
  module: import.meta.url,
  input: Schema.Struct({
    codes: CodesSource,
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
