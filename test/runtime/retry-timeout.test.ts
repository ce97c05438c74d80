import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { RunLedgerMemory } from "../../src/layers/ledger/memory-ledger.js"
import { RunLedger } from "../../src/runtime/services/run-ledger.js"
import { probeLog, resetProbeLog, startsOf } from "./probe-kinds.js"
import { memoryLedger, outcomes, runPipeline, tempDir, writePipeline } from "./harness.js"

const attemptsIn = (state: import("../../src/layers/ledger/memory-ledger.js").MemoryLedgerState, runId: string) =>
  Effect.flatMap(RunLedger, (l) => l.attemptsOf(runId)).pipe(Effect.provide(RunLedgerMemory.layerWith({ state })))

describe("retries and timeouts", () => {
  it.live("retries a retryable error with backoff until it succeeds", () =>
    Effect.gen(function* () {
      resetProbeLog()
      const ledger = memoryLedger()
      const file = writePipeline(
        tempDir(),
        `
pipeline: flaky
layers: { store: { dir: $OUT } }
stages:
  flaky:
    uses: source
    with: { failTimes: 2, retryable: true, sleepMs: 1 }
    retry: { times: 3, base: 20ms, max: 100ms }
  after: { uses: transform, needs: [flaky], with: { sleepMs: 1 } }
`
      )
      const report = yield* runPipeline(file, { ledger })
      expect(report.status).toBe("succeeded")
      expect(report.stages.find((s) => s.id === "flaky")!.attempts).toBe(3)
      const starts = startsOf("flaky").map((e) => e.at)
      // Backoff: each retry waits (base 20 ms, doubled, jittered 0.8-1.2x) after the failure.
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(15)
      const attempts = yield* attemptsIn(ledger.state, report.runId)
      const flaky = attempts.filter((a) => a.stageId === "flaky")
      expect(flaky.map((a) => [a.attempt, a.status])).toEqual([
        [1, "failed"],
        [2, "failed"],
        [3, "succeeded"]
      ])
      expect(flaky[0]!.error).toContain("failed on attempt 1")
    })
  )

  it.live("fails the run at once on a non-retryable error and skips its descendants", () =>
    Effect.gen(function* () {
      resetProbeLog()
      const file = writePipeline(
        tempDir(),
        `
pipeline: broken
layers: { store: { dir: $OUT } }
stages:
  broken:
    uses: source
    with: { failTimes: 5, retryable: false, sleepMs: 1 }
    retry: { times: 3, base: 10ms }
  after: { uses: transform, needs: [broken] }
  independent: { uses: source, with: { sleepMs: 1 } }
`
      )
      const report = yield* runPipeline(file, { ledger: memoryLedger() })
      expect(report.status).toBe("failed")
      expect(outcomes(report)).toEqual({ broken: "failed", after: "skipped", independent: "succeeded" })
      expect(startsOf("broken")).toHaveLength(1)
      expect(report.stages.find((s) => s.id === "after")!.detail).toContain("broken")
    })
  )

  it.live("fails a stage that runs past its timeout with a timeout error", () =>
    Effect.gen(function* () {
      resetProbeLog()
      const ledger = memoryLedger()
      const file = writePipeline(
        tempDir(),
        `
pipeline: slow
layers: { store: { dir: $OUT } }
stages:
  slow: { uses: source, with: { sleepMs: 5000 }, timeout: 100ms, retry: { times: 2 } }
`
      )
      const report = yield* runPipeline(file, { ledger })
      expect(report.status).toBe("failed")
      const slow = report.stages[0]!
      expect(slow.outcome).toBe("timed-out")
      expect(slow.detail).toContain("timed out after 100 ms")
      // A timeout is not retried, and the interrupted stage's cleanup ran.
      expect(slow.attempts).toBe(1)
      expect(probeLog.running).toBe(0)
      const attempts = yield* attemptsIn(ledger.state, report.runId)
      expect(attempts.map((a) => a.status)).toEqual(["timed-out"])
      const artifact = yield* Effect.flatMap(RunLedger, (l) => l.latestArtifact("slow")).pipe(
        Effect.provide(RunLedgerMemory.layerWith({ state: ledger.state }))
      )
      expect(Option.isNone(artifact)).toBe(true)
    })
  )
})
