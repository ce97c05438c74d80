/**
 * Binding progress to one stage. Stages report through `StageProgress` (`advance(n)` adds `n`);
 * this turns those calls into `Progress` updates carrying the stage id and the running total
 * `done`. Advances are serialised, so parallel chunks of one stage never report a count going
 * backwards.
 */
import { Effect, Layer, SynchronizedRef } from "effect"
import { Progress, StageProgress, type StageProgressService } from "../services/progress.js"

export const makeStageProgress = (stageId: string): Effect.Effect<StageProgressService, never, Progress> =>
  Effect.gen(function* () {
    const progress = yield* Progress
    const done = yield* SynchronizedRef.make(0)
    return {
      setTotal: (total, unit) => progress.update({ _tag: "StageTotal", stage: stageId, total, unit }),
      advance: (n) =>
        SynchronizedRef.updateEffect(done, (before) =>
          progress.update({ _tag: "StageAdvanced", stage: stageId, done: before + n }).pipe(Effect.as(before + n))
        ),
      message: (message) => progress.update({ _tag: "StageMessage", stage: stageId, message })
    }
  })

/** `StageProgress` for one stage, for the scheduler to provide to the stage's effect. */
export const stageProgressLayer = (stageId: string): Layer.Layer<StageProgress, never, Progress> =>
  Layer.effect(StageProgress, makeStageProgress(stageId))
