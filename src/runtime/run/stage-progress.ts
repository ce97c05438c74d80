/** Binds progress updates to one stage: what `StageProgress` is for a stage attempt. */
import { Effect } from "effect"
import { Progress, type StageProgressService } from "../services/progress.js"

export const makeStageProgress = (stage: string): Effect.Effect<StageProgressService, never, Progress> =>
  Effect.map(Progress, (progress) => {
    let done = 0
    return {
      setTotal: (total, unit) => progress.update({ _tag: "StageTotal", stage, total, unit }),
      advance: (n) =>
        Effect.suspend(() => {
          done += n
          return progress.update({ _tag: "StageAdvanced", stage, done })
        }),
      message: (message) => progress.update({ _tag: "StageMessage", stage, message })
    }
  })
