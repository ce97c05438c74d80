/**
 * One origin's matches, the dashboard's core request (seed-spec §6.4, its bugs fixed): the origin's
 * embedding is searched in the saved index (`candidates` neighbours, 251 as the seed), the returned
 * ids are rescored with the seed's gated score over the encoded profiles (the origin and repeats
 * skipped, ties in index order), the best `top` kept, and only those and the origin are read from
 * SQLite as full profiles.
 */
import { Data, Effect } from "effect"
import { type MatchConfig, rankEncodedCandidates } from "../domain/matching/index.js"
import type { FaissError } from "../layers/faiss/errors.js"
import type { ApiMatch, MatchResponse } from "./api-schema.js"
import type { MatchData } from "./match-data.js"

export class ProfileNotFound extends Data.TaggedError("ProfileNotFound")<{ readonly id: number }> {
  override get message(): string {
    return `no profile with id ${this.id}`
  }
}

export interface MatchRequest {
  readonly id: number
  readonly top: number
  readonly candidates: number
}

/** Table rows of the index's labels, in rank order; -1 labels and ids outside the table are dropped. */
const candidateRows = (data: MatchData, labels: BigInt64Array): Array<number> => {
  const rows: Array<number> = []
  for (const label of labels) {
    if (label < 0n) continue
    const row = data.profileIds.positionOf(Number(label))
    if (row >= 0) rows.push(row)
  }
  return rows
}

export const matchFor = (
  data: MatchData,
  request: MatchRequest,
  config: MatchConfig
): Effect.Effect<MatchResponse, ProfileNotFound | FaissError> =>
  Effect.gen(function* () {
    const started = performance.now()
    const originRow = data.profileIds.positionOf(request.id)
    const query = data.embeddings.embeddingOf(request.id)
    const origin = originRow < 0 ? undefined : data.store.byId(request.id)
    if (originRow < 0 || query === undefined || origin === undefined) return yield* new ProfileNotFound({ id: request.id })

    const k = Math.min(request.candidates, data.indexTotal)
    const { labels } = yield* data.index.search(query, k)
    const ranking = rankEncodedCandidates(data.encoded, originRow, candidateRows(data, labels), config, request.top)

    const ids = ranking.matches.map((m) => data.profileIds.idAt(m.row))
    const profiles = new Map(data.store.byIds(ids).map((p) => [p.id, p]))
    const matches: Array<ApiMatch> = []
    ranking.matches.forEach((m, i) => {
      const profile = profiles.get(ids[i] as number)
      // A row deleted from the table after loading: leave it out rather than fail the page.
      if (profile === undefined) return
      const b = m.breakdown
      matches.push({ id: profile.id, score: b.score, components: b.components, weights: b.weights, gates: b.gates, profile })
    })
    return {
      origin,
      matches,
      candidates: ranking.candidates,
      passedGates: ranking.passedGates,
      minScore: config.minScore,
      tookMs: performance.now() - started
    }
  })
