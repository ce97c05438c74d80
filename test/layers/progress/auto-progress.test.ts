import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Progress } from "../../../src/runtime/services/progress.js"
import { ProgressAuto, chooseProgressRenderer } from "../../../src/layers/progress/auto-progress.js"

describe("ProgressAuto", () => {
  it("uses bars only on a TTY outside CI", () => {
    expect(chooseProgressRenderer(true, {})).toBe("terminal")
    expect(chooseProgressRenderer(true, { CI: "true" })).toBe("plain")
    expect(chooseProgressRenderer(true, { CI: "1" })).toBe("plain")
    expect(chooseProgressRenderer(true, { CI: "false" })).toBe("terminal")
    expect(chooseProgressRenderer(false, {})).toBe("plain")
  })

  it.scoped("builds the chosen renderer", () => {
    const plain: Array<string> = []
    const bars: Array<string> = []
    const started = Effect.flatMap(Progress, (p) => p.update({ _tag: "StageStarted", stage: "a", attempt: 1 }))
    return Effect.gen(function* () {
      yield* Effect.provide(started, ProgressAuto.layer({ isTTY: false, env: {}, write: (s) => void plain.push(s) }))
      yield* Effect.provide(started, ProgressAuto.layer({ isTTY: true, env: {}, write: (s) => void bars.push(s) }))
      expect(plain).toEqual(["[a] started\n"])
      expect(bars.join("")).toContain("\u001b[")
    })
  })
})
