/**
 * Progress: what long work reports while it runs. The scheduler gives each stage a
 * `StageProgress` bound to its id; the `Progress` service receives every update and renders it
 * (bars on a TTY, plain lines otherwise, or a recorder in tests).
 */
import { Context, type Effect } from "effect"

export type ProgressUpdate =
  /** Sent once before any stage: how many stages the run will report on (reused ones included). */
  | { readonly _tag: "RunStarted"; readonly stages: number }
  | { readonly _tag: "StageStarted"; readonly stage: string; readonly attempt: number }
  | { readonly _tag: "StageTotal"; readonly stage: string; readonly total: number; readonly unit: string }
  | { readonly _tag: "StageAdvanced"; readonly stage: string; readonly done: number }
  | { readonly _tag: "StageMessage"; readonly stage: string; readonly message: string }
  | {
      readonly _tag: "StageEnded"
      readonly stage: string
      readonly outcome: "succeeded" | "reused" | "failed" | "skipped" | "interrupted" | "timed-out"
      /**
       * The stage's throughput as the run's final table shows it (its artifact's rows, less those
       * resumed from earlier runs, over the stage's time), so renderers print the same figure;
       * absent when the stage's artifact does not count rows.
       */
      readonly throughput?: { readonly rows: number; readonly resumedRows: number; readonly ms: number }
    }

export interface ProgressService {
  readonly update: (update: ProgressUpdate) => Effect.Effect<void>
  /** Stops rendering (clears bars); called once when the run ends. */
  readonly close: Effect.Effect<void>
}

export class Progress extends Context.Tag("pipeline/Progress")<Progress, ProgressService>() {}

export interface StageProgressService {
  /** Declares how much work there is, e.g. `setTotal(100_000, "rows")`. */
  readonly setTotal: (total: number, unit: string) => Effect.Effect<void>
  /** Adds `n` to the work done (already-committed chunks count too). */
  readonly advance: (n: number) => Effect.Effect<void>
  readonly message: (message: string) => Effect.Effect<void>
}

export class StageProgress extends Context.Tag("pipeline/StageProgress")<StageProgress, StageProgressService>() {}
