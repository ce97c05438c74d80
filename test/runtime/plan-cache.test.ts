import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { actionLabel } from "../../src/runtime/plan/decide.js"
import { resetProbeLog, startsOf } from "./probe-kinds.js"
import { memoryLedger, outcomes, planFor, runPipeline, tempDir, writePipeline } from "./harness.js"

const pipeline = `
pipeline: cache
layers: { store: { dir: $OUT } }
stages:
  a: { uses: source, with: { value: a, sleepMs: 1 } }
  b: { uses: transform, needs: [a], with: { value: b, sleepMs: 1 } }
  c: { uses: transform, needs: [a], with: { value: c, sleepMs: 1 } }
  d: { uses: join, inputs: { left: b, right: c }, with: { value: d, sleepMs: 1 } }
`

const planOf = (plan: { readonly stages: ReadonlyArray<{ readonly stage: { readonly id: string }; readonly action: Parameters<typeof actionLabel>[0] }> }) =>
  Object.fromEntries(
    plan.stages.map((p) => [p.stage.id, { action: actionLabel(p.action), why: p.action._tag === "Run" || p.action._tag === "Resume" ? p.action.reasons : [] }])
  )

describe("planner and cache", () => {
  it.live("plans 'never ran' for a new pipeline, then reuse for all", () =>
    Effect.gen(function* () {
      const ledger = memoryLedger()
      const file = writePipeline(tempDir(), pipeline)
      const before = planOf(yield* planFor(file, { ledger }))
      expect(before["a"]).toEqual({ action: "run", why: ["never ran"] })
      expect(before["d"]!.why[0]).toContain("input left will be rebuilt")
      yield* runPipeline(file, { ledger })
      const after = planOf(yield* planFor(file, { ledger }))
      expect(Object.values(after).map((p) => p.action)).toEqual(["reuse", "reuse", "reuse", "reuse"])
    })
  )

  it.live("plans 'failed in run R' with its error for a stage whose last try failed", () =>
    Effect.gen(function* () {
      const ledger = memoryLedger()
      const file = writePipeline(tempDir(), pipeline)
      const sets = ["stages.b.with.failTimes=1", "stages.b.with.retryable=false"]
      const report = yield* runPipeline(file, { ledger, sets })
      expect(outcomes(report)["b"]).toBe("failed")
      const plan = planOf(yield* planFor(file, { ledger, sets }))
      expect(plan["a"]!.action).toBe("reuse")
      expect(plan["b"]).toEqual({ action: "run", why: [`failed in run ${report.runId}: b failed on attempt 1`] })
    })
  )

  it.live("a config change re-runs that stage and its descendants only, and plan says why", () =>
    Effect.gen(function* () {
      const ledger = memoryLedger()
      const file = writePipeline(tempDir(), pipeline)
      yield* runPipeline(file, { ledger })
      const sets = ["stages.b.with.value=B2"]
      const plan = planOf(yield* planFor(file, { ledger, sets }))
      expect(plan["a"]!.action).toBe("reuse")
      expect(plan["c"]!.action).toBe("reuse")
      expect(plan["b"]).toEqual({ action: "run", why: ['config.value "b" -> "B2"'] })
      expect(plan["d"]!.action).toBe("run")
      expect(plan["d"]!.why).toEqual(["input left will be rebuilt (reused if its bytes do not change)"])

      resetProbeLog()
      const report = yield* runPipeline(file, { ledger, sets })
      expect(outcomes(report)).toEqual({ a: "reused", b: "succeeded", c: "reused", d: "succeeded" })
      expect(startsOf("a")).toHaveLength(0)
      expect(startsOf("c")).toHaveLength(0)

      // Back to the first config: the old artifacts are still committed under their keys.
      const back = planOf(yield* planFor(file, { ledger }))
      expect(back["b"]!.action).toBe("reuse")
      expect(back["d"]!.action).toBe("reuse")
    })
  )

  it.live("after a change, the downstream reason names the changed input", () =>
    Effect.gen(function* () {
      const ledger = memoryLedger()
      const file = writePipeline(tempDir(), pipeline)
      yield* runPipeline(file, { ledger })
      yield* runPipeline(file, { ledger, sets: ["stages.b.with.value=B2"], flags: { until: ["b"] } })
      const plan = planOf(yield* planFor(file, { ledger, sets: ["stages.b.with.value=B2"] }))
      expect(plan["b"]!.action).toBe("reuse")
      expect(plan["d"]).toEqual({ action: "run", why: ["input left changed"] })
    })
  )

  it.live("--force re-runs a stage; its unchanged output lets descendants be reused", () =>
    Effect.gen(function* () {
      const ledger = memoryLedger()
      const file = writePipeline(tempDir(), pipeline)
      yield* runPipeline(file, { ledger })
      const plan = planOf(yield* planFor(file, { ledger, flags: { force: ["a"] } }))
      expect(plan["a"]).toEqual({ action: "run", why: ["forced"] })
      resetProbeLog()
      const report = yield* runPipeline(file, { ledger, flags: { force: ["a"] } })
      expect(outcomes(report)).toEqual({ a: "succeeded", b: "reused", c: "reused", d: "reused" })
    })
  )

  it.live("--only and --until select stages; outside stages must be reusable", () =>
    Effect.gen(function* () {
      const ledger = memoryLedger()
      const file = writePipeline(tempDir(), pipeline)
      const until = yield* runPipeline(file, { ledger, flags: { until: ["b"] } })
      expect(outcomes(until)).toEqual({ a: "succeeded", b: "succeeded", c: "not-selected", d: "not-selected" })
      const only = yield* Effect.either(runPipeline(file, { ledger, flags: { only: ["d"] } }))
      expect(only._tag).toBe("Left")
      if (only._tag === "Left") expect(only.left.message).toContain("stage 'c' is outside the selection")
      const from = yield* runPipeline(file, { ledger, flags: { from: ["c"] } })
      expect(outcomes(from)).toEqual({ a: "reused", b: "reused", c: "succeeded", d: "succeeded" })
    })
  )
})
