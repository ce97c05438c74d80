/** What happened to each stage in a run, for the final table, `pipeline show` and tests. */
import type { ArtifactDescriptor } from "../artifact.js"
import type { RunStatus } from "../services/run-ledger.js"

export type StageOutcome = "succeeded" | "reused" | "failed" | "timed-out" | "skipped" | "interrupted" | "not-selected"

export interface StageReport {
  readonly id: string
  readonly kind: string
  readonly outcome: StageOutcome
  /** Tries made in this run (0 when reused or skipped). */
  readonly attempts: number
  readonly durationMs: number
  /** Rows (items) the stage's artifact holds, when it says. */
  readonly rows: number | null
  /** Chunks that were already committed when the stage started (a resume). */
  readonly resumedChunks: number
  /**
   * Rows of `rows` that earlier runs had already committed (chunks this run resumed from): the
   * stage did not process them, so its throughput leaves them out.
   */
  readonly resumedRows: number
  /** Why it was skipped, or the error that failed it. */
  readonly detail: string
  /** The stage's output (made or reused), as its kind's descriptor; null when it has none. */
  readonly artifact: ArtifactDescriptor | null
  /** The cache key of that output; null when there is none. */
  readonly cacheKey: string | null
}

export interface RunReport {
  readonly runId: string
  readonly pipeline: string
  readonly status: RunStatus
  readonly stages: ReadonlyArray<StageReport>
  readonly durationMs: number
  /** Where the run's artifacts and ledger are. */
  readonly outputDir: string
  readonly eventLogPath: string
}

/**
 * The one throughput figure of a stage that ran: rows it processed in this run (resumed rows left
 * out) over its time. The final table and the progress renderers' end line both print this.
 */
export const throughputOf = (
  stage: Pick<StageReport, "outcome" | "rows" | "resumedRows" | "durationMs">
): Throughput | null =>
  stage.outcome === "succeeded" && stage.rows !== null && stage.durationMs > 0
    ? { rows: stage.rows, resumedRows: Math.min(stage.rows, stage.resumedRows), ms: stage.durationMs }
    : null

/** A stage's rows, those of them resumed (not processed in this run), and its time. */
export interface Throughput {
  readonly rows: number
  readonly resumedRows: number
  readonly ms: number
}

/** Rows per second processed in this run. */
export const rowsPerSecond = (t: Throughput): number => ((t.rows - t.resumedRows) * 1000) / t.ms
