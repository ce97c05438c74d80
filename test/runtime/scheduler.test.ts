import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { probeLog, resetProbeLog, startsOf } from "./probe-kinds.js"
import { memoryLedger, outcomes, runPipeline, tempDir, writePipeline } from "./harness.js"

const diamond = (extra = "") => `
pipeline: diamond
layers: { store: { dir: $OUT } }
resources: { lock: 1 }
stages:
  a: { uses: source, with: { value: a, sleepMs: 60 } }
  b: { uses: transform, needs: [a], with: { value: b, sleepMs: 80 }${extra} }
  c: { uses: transform, needs: [a], with: { value: c, sleepMs: 80 }${extra} }
  d: { uses: join, inputs: { left: b, right: c }, with: { value: d, sleepMs: 20 } }
`

const endOf = (stage: string) => probeLog.events.find((e) => e.stage === stage && e.type === "end")!.at
const startOf = (stage: string) => startsOf(stage)[0]!.at

describe("scheduler", () => {
  it.live("runs a diamond once per stage, in dependency order, b and c in parallel", () =>
    Effect.gen(function* () {
      resetProbeLog()
      const file = writePipeline(tempDir(), diamond())
      const report = yield* runPipeline(file, { ledger: memoryLedger(), concurrency: 4 })
      expect(report.status).toBe("succeeded")
      expect(outcomes(report)).toEqual({ a: "succeeded", b: "succeeded", c: "succeeded", d: "succeeded" })
      for (const s of ["a", "b", "c", "d"]) expect(startsOf(s)).toHaveLength(1)
      expect(startOf("b")).toBeGreaterThanOrEqual(endOf("a"))
      expect(startOf("c")).toBeGreaterThanOrEqual(endOf("a"))
      expect(startOf("d")).toBeGreaterThanOrEqual(Math.max(endOf("b"), endOf("c")))
      expect(probeLog.maxRunning).toBe(2)
    })
  )

  it.live("never runs more than --concurrency stages at once", () =>
    Effect.gen(function* () {
      resetProbeLog()
      const file = writePipeline(tempDir(), diamond())
      const report = yield* runPipeline(file, { ledger: memoryLedger(), concurrency: 1 })
      expect(report.status).toBe("succeeded")
      expect(probeLog.maxRunning).toBe(1)
      expect(startsOf("d")).toHaveLength(1)
    })
  )

  it.live("a resource limited to 1 serialises the stages that declare it", () =>
    Effect.gen(function* () {
      resetProbeLog()
      const file = writePipeline(tempDir(), diamond(", resources: [lock]"))
      const report = yield* runPipeline(file, { ledger: memoryLedger(), concurrency: 4 })
      expect(report.status).toBe("succeeded")
      expect(probeLog.maxRunning).toBe(1)
      const [first, second] = [startOf("b"), startOf("c")].sort((x, y) => x - y)
      const firstEnd = Math.min(endOf("b"), endOf("c"))
      expect(second!).toBeGreaterThanOrEqual(firstEnd)
      expect(first).toBeGreaterThanOrEqual(endOf("a"))
    })
  )

  it.live("a second run reuses every stage", () =>
    Effect.gen(function* () {
      resetProbeLog()
      const ledger = memoryLedger()
      const file = writePipeline(tempDir(), diamond())
      yield* runPipeline(file, { ledger })
      resetProbeLog()
      const again = yield* runPipeline(file, { ledger })
      expect(outcomes(again)).toEqual({ a: "reused", b: "reused", c: "reused", d: "reused" })
      expect(probeLog.events).toHaveLength(0)
    })
  )
})
