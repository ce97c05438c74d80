/** The record of a just-started attempt, as both ledger backends store and return it. */
import type { AttemptRecord, RunLedgerService } from "../../runtime/services/run-ledger.js"

export type AttemptStart = Parameters<RunLedgerService["startAttempt"]>[0]

export const startedAttempt = (id: number, attempt: AttemptStart, now: number): AttemptRecord => ({
  id,
  runId: attempt.runId,
  stageId: attempt.stageId,
  attempt: attempt.attempt,
  cacheKey: attempt.cacheKey,
  status: "running",
  startedAt: now,
  endedAt: null,
  error: null,
  resumedChunks: attempt.resumedChunks,
  rows: null
})
