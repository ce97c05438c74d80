/**
 * The run's event log: every event goes to the ledger's `events` table and, as one JSON line, to
 * `<output>/runs/<run id>/events.jsonl`, a file tools like `jq` can follow while the run goes on.
 */
import { appendFileSync, mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { Effect } from "effect"
import type { RunLedgerService } from "../services/run-ledger.js"

export interface EventLog {
  readonly path: string
  readonly emit: (type: string, stageId: string | null, data?: Record<string, unknown>) => Effect.Effect<void>
}

/** Runs a write of the JSON-lines copy; a full disk or a read-only store loses the line, not the run. */
const bestEffort = (write: () => void): void => {
  try {
    write()
  } catch {
    // The ledger's copy is still tried; the stage table and the attempt's error say what failed.
  }
}

export const makeEventLog = (ledger: RunLedgerService, runId: string, path: string): EventLog => {
  bestEffort(() => mkdirSync(dirname(path), { recursive: true }))
  return {
    path,
    emit: (type, stageId, data = {}) =>
      Effect.gen(function* () {
        const at = Date.now()
        // An event that cannot be recorded (disk full) must not fail the stage it describes.
        bestEffort(() =>
          appendFileSync(path, JSON.stringify({ at: new Date(at).toISOString(), run: runId, type, stage: stageId, ...data }) + "\n")
        )
        yield* ledger.appendEvent({ runId, at, type, stageId, data }).pipe(Effect.ignoreLogged)
      })
  }
}
