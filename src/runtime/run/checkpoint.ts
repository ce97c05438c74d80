/** The product Checkpoint: chunk records kept in the run ledger under (stage, cache key). */
import { Effect } from "effect"
import type { CheckpointService, ChunkRecord } from "../services/checkpoint.js"
import type { RunLedgerService } from "../services/run-ledger.js"

export const ledgerCheckpoint = (
  ledger: RunLedgerService,
  stageId: string,
  cacheKey: string,
  /** Told of each record once it is in the ledger (the run's event log). */
  afterCommit: (record: ChunkRecord) => Effect.Effect<void> = () => Effect.void
): CheckpointService => ({
  committed: ledger
    .checkpoints(stageId, cacheKey)
    .pipe(Effect.map((records) => new Map(records.map((r): [number, ChunkRecord] => [r.chunk, r])))),
  commit: (record) => ledger.commitCheckpoint(stageId, cacheKey, record).pipe(Effect.tap(() => afterCommit(record)))
})
