import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Progress, StageProgress } from "../../../src/runtime/services/progress.js"
import { ProgressRecorder } from "../../../src/layers/progress/recorder-progress.js"
import { makeStageProgress, stageProgressLayer } from "../../../src/runtime/run/stage-progress.js"

describe("ProgressRecorder", () => {
  it.effect("records every update in order and counts closes", () =>
    Effect.gen(function* () {
      const progress = yield* Progress
      yield* progress.update({ _tag: "StageStarted", stage: "a", attempt: 1 })
      yield* progress.update({ _tag: "StageMessage", stage: "a", message: "hello" })
      yield* progress.update({ _tag: "StageEnded", stage: "a", outcome: "succeeded" })
      expect(yield* ProgressRecorder.updates).toEqual([
        { _tag: "StageStarted", stage: "a", attempt: 1 },
        { _tag: "StageMessage", stage: "a", message: "hello" },
        { _tag: "StageEnded", stage: "a", outcome: "succeeded" }
      ])
      const recorder = yield* ProgressRecorder
      expect(yield* recorder.closeCount).toBe(0)
      yield* progress.close
      expect(yield* recorder.closeCount).toBe(1)
    }).pipe(Effect.provide(ProgressRecorder.layer))
  )

  it.effect("gives each Layer build its own record", () =>
    Effect.gen(function* () {
      yield* Effect.flatMap(Progress, (p) => p.update({ _tag: "StageStarted", stage: "x", attempt: 1 })).pipe(
        Effect.provide(ProgressRecorder.layer)
      )
      expect(yield* ProgressRecorder.updates).toEqual([])
    }).pipe(Effect.provide(ProgressRecorder.layer))
  )
})

describe("makeStageProgress", () => {
  it.effect("binds updates to one stage and accumulates done", () =>
    Effect.gen(function* () {
      const stage = yield* makeStageProgress("vectors")
      yield* stage.setTotal(100, "rows")
      yield* stage.advance(30)
      yield* stage.advance(20)
      yield* stage.message("chunk 2 of 4")
      yield* stage.advance(50)
      expect(yield* ProgressRecorder.updates).toEqual([
        { _tag: "StageTotal", stage: "vectors", total: 100, unit: "rows" },
        { _tag: "StageAdvanced", stage: "vectors", done: 30 },
        { _tag: "StageAdvanced", stage: "vectors", done: 50 },
        { _tag: "StageMessage", stage: "vectors", message: "chunk 2 of 4" },
        { _tag: "StageAdvanced", stage: "vectors", done: 100 }
      ])
    }).pipe(Effect.provide(ProgressRecorder.layer))
  )

  it.effect("never reports done going backwards when chunks advance in parallel", () =>
    Effect.gen(function* () {
      yield* Effect.forEach(
        Array.from({ length: 50 }, (_, i) => i + 1),
        (n) => Effect.flatMap(StageProgress, (s) => Effect.yieldNow().pipe(Effect.zipRight(s.advance(n)))),
        { concurrency: "unbounded" }
      )
      const done = (yield* ProgressRecorder.updates).map((u) => (u._tag === "StageAdvanced" ? u.done : -1))
      expect(done).toHaveLength(50)
      expect(done.at(-1)).toBe((50 * 51) / 2)
      for (let i = 1; i < done.length; i++) expect(done[i]).toBeGreaterThan(done[i - 1] ?? Infinity)
    }).pipe(Effect.provide(Layer.provideMerge(stageProgressLayer("chunks"), ProgressRecorder.layer)))
  )
})
