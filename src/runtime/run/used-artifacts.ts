/**
 * The artifacts one run used: for each stage, the one a succeeded attempt of the run committed or,
 * for a stage the run reused, the one named by the cache key of its `stage-reused` event. Read
 * from the ledger alone (attempts and events), so it works for any past run.
 */
import { Effect, Option } from "effect"
import type { LedgerError } from "../errors.js"
import { RunLedger, type ArtifactRecord } from "../services/run-ledger.js"

/** The cache key of each stage the run made or reused, stage id -> key. */
export const cacheKeysUsedBy = (runId: string): Effect.Effect<ReadonlyMap<string, string>, LedgerError, RunLedger> =>
  Effect.gen(function* () {
    const ledger = yield* RunLedger
    const keys = new Map<string, string>()
    for (const event of yield* ledger.eventsOf(runId)) {
      const data = event.data
      if (event.type !== "stage-reused" || event.stageId === null) continue
      if (data !== null && typeof data === "object" && "cacheKey" in data && typeof data.cacheKey === "string") {
        keys.set(event.stageId, data.cacheKey)
      }
    }
    // A stage made in the run wins over a reuse event (a run never has both for one stage).
    for (const attempt of yield* ledger.attemptsOf(runId)) {
      if (attempt.status === "succeeded") keys.set(attempt.stageId, attempt.cacheKey)
    }
    return keys
  })

/** The committed artifact the run used for each of `stageIds` (None where it has none now). */
export const artifactsUsedBy = (
  runId: string,
  stageIds: ReadonlyArray<string>
): Effect.Effect<ReadonlyArray<Option.Option<ArtifactRecord>>, LedgerError, RunLedger> =>
  Effect.gen(function* () {
    const ledger = yield* RunLedger
    const keys = yield* cacheKeysUsedBy(runId)
    const found: Array<Option.Option<ArtifactRecord>> = []
    for (const stageId of stageIds) {
      const cacheKey = keys.get(stageId)
      found.push(cacheKey === undefined ? Option.none() : yield* ledger.findArtifact(stageId, cacheKey))
    }
    return found
  })
