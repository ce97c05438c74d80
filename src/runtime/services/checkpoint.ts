/**
 * Checkpoint: progress inside a long stage. A stage splits its work into numbered chunks, skips
 * the chunks already committed, and commits each chunk after its data is durable. Chunk data must
 * be written idempotently (a chunk whose data exists but whose commit was lost is simply redone),
 * which makes "data then commit" atomic in effect. Checkpoints belong to a (stage, cache key): a
 * config change never resumes from chunks made with the old config.
 */
import { Context, type Effect } from "effect"
import type { LedgerError } from "../errors.js"

export interface ChunkRecord {
  readonly chunk: number
  /** Rows (or items) the chunk holds, for progress and throughput. */
  readonly rows: number
  /** Digest of the chunk's data, when the stage computes one. */
  readonly digest: string | null
}

export interface CheckpointService {
  /** Chunks committed by earlier attempts or runs with the same cache key. */
  readonly committed: Effect.Effect<ReadonlyMap<number, ChunkRecord>, LedgerError>
  /** Records that a chunk is done. Call after the chunk's data is durable. */
  readonly commit: (record: ChunkRecord) => Effect.Effect<void, LedgerError>
}

export class Checkpoint extends Context.Tag("pipeline/Checkpoint")<Checkpoint, CheckpointService>() {}
