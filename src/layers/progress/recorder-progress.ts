/**
 * The test Progress: renders nothing and keeps every update, in the order received, so tests can
 * assert what a stage reported (totals, final counts, outcomes) without parsing text.
 */
import { Context, Effect, Layer } from "effect"
import { Progress, type ProgressUpdate } from "../../runtime/services/progress.js"

export interface ProgressRecorderService {
  /** Every update received so far, oldest first (a snapshot). */
  readonly updates: Effect.Effect<ReadonlyArray<ProgressUpdate>>
  /** How many times `close` was called. */
  readonly closeCount: Effect.Effect<number>
}

export class ProgressRecorder extends Context.Tag("pipeline/ProgressRecorder")<
  ProgressRecorder,
  ProgressRecorderService
>() {
  /** Provides `Progress` and, over the same record, `ProgressRecorder` to read it back. */
  static readonly layer: Layer.Layer<Progress | ProgressRecorder> = Layer.effectContext(
    Effect.sync(() => {
      const updates: Array<ProgressUpdate> = []
      let closes = 0
      return Context.make(Progress, {
        update: (update) => Effect.sync(() => void updates.push(update)),
        close: Effect.sync(() => void closes++)
      }).pipe(
        Context.add(ProgressRecorder, {
          updates: Effect.sync(() => [...updates]),
          closeCount: Effect.sync(() => closes)
        })
      )
    })
  )

  /** The updates received so far, oldest first. */
  static readonly updates: Effect.Effect<ReadonlyArray<ProgressUpdate>, never, ProgressRecorder> = Effect.flatMap(
    ProgressRecorder,
    (recorder) => recorder.updates
  )
}
