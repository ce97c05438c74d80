import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { Progress } from "../../../src/runtime/services/progress.js"
import { ProgressPlain } from "../../../src/layers/progress/plain-progress.js"
import { formatCount, formatDuration } from "../../../src/layers/progress/format.js"

/** A plain renderer whose lines land in `lines` instead of standard error. */
const capture = () => {
  const chunks: Array<string> = []
  return {
    layer: ProgressPlain.layer({ write: (s) => void chunks.push(s) }),
    lines: () => chunks.join("").split("\n").slice(0, -1),
    chunks
  }
}

const update = (u: Parameters<Progress["Type"]["update"]>[0]) => Effect.flatMap(Progress, (p) => p.update(u))

describe("ProgressPlain", () => {
  it.effect("prints start, 10 % steps with rate, and the end with time and throughput", () => {
    const out = capture()
    return Effect.gen(function* () {
      yield* update({ _tag: "StageStarted", stage: "embeddings", attempt: 1 })
      yield* update({ _tag: "StageTotal", stage: "embeddings", total: 100_000, unit: "rows" })
      yield* TestClock.adjust("100 millis")
      yield* update({ _tag: "StageAdvanced", stage: "embeddings", done: 0 })
      // 1,000 rows per 20 ms = 50,000 rows/s; only every 10 % prints.
      for (let done = 1000; done <= 100_000; done += 1000) {
        yield* TestClock.adjust("20 millis")
        yield* update({ _tag: "StageAdvanced", stage: "embeddings", done })
      }
      yield* update({ _tag: "StageEnded", stage: "embeddings", outcome: "succeeded" })

      const lines = out.lines()
      expect(lines[0]).toBe("[embeddings] started")
      expect(lines[1]).toBe("[embeddings] 10,000/100,000 rows (10%) 50,000 rows/s, 1.8s left")
      expect(lines[4]).toBe("[embeddings] 40,000/100,000 rows (40%) 50,000 rows/s, 1.2s left")
      expect(lines[10]).toBe("[embeddings] 100,000/100,000 rows (100%) 50,000 rows/s")
      expect(lines[11]).toBe("[embeddings] succeeded in 2.1s (100,000 rows, 50,000 rows/s)")
      expect(lines).toHaveLength(12)
      // Whole lines only: every write ends with a newline.
      for (const chunk of out.chunks) expect(chunk.endsWith("\n")).toBe(true)
    }).pipe(Effect.provide(out.layer))
  })

  it.effect("prints a slow stage's progress every 2 s even between 10 % steps", () => {
    const out = capture()
    return Effect.gen(function* () {
      yield* update({ _tag: "StageStarted", stage: "kmeans", attempt: 2 })
      yield* update({ _tag: "StageTotal", stage: "kmeans", total: 1000, unit: "iterations" })
      yield* update({ _tag: "StageAdvanced", stage: "kmeans", done: 1 })
      yield* TestClock.adjust("1500 millis")
      yield* update({ _tag: "StageAdvanced", stage: "kmeans", done: 4 }) // 1.5 s: quiet
      yield* TestClock.adjust("500 millis")
      yield* update({ _tag: "StageAdvanced", stage: "kmeans", done: 5 }) // 2 s: prints
      yield* TestClock.adjust("1 second")
      yield* update({ _tag: "StageAdvanced", stage: "kmeans", done: 7 }) // 1 s after the last line: quiet
      yield* update({ _tag: "StageMessage", stage: "kmeans", message: "objective 12.5" })
      yield* TestClock.adjust("1 second")
      yield* update({ _tag: "StageAdvanced", stage: "kmeans", done: 9 }) // 2 s after: prints
      yield* update({ _tag: "StageEnded", stage: "kmeans", outcome: "failed" })
      expect(out.lines()).toEqual([
        "[kmeans] started (attempt 2)",
        "[kmeans] 5/1,000 iterations (0%) 2 iterations/s, 8m17s left",
        "[kmeans] objective 12.5",
        "[kmeans] 9/1,000 iterations (0%) 2 iterations/s, 8m15s left",
        "[kmeans] failed in 4.0s (9 iterations, 2 iterations/s)"
      ])
    }).pipe(Effect.provide(out.layer))
  })

  it.effect("prints the scheduler's throughput at the end: resumed rows left out, the table's time", () => {
    const out = capture()
    return Effect.gen(function* () {
      yield* update({ _tag: "RunStarted", stages: 3 })
      yield* update({ _tag: "StageStarted", stage: "profiles", attempt: 1 })
      yield* update({ _tag: "StageTotal", stage: "profiles", total: 100_000, unit: "profiles" })
      // The resume jump, then the chunks this run makes.
      yield* update({ _tag: "StageAdvanced", stage: "profiles", done: 60_000 })
      yield* TestClock.adjust("2 seconds")
      yield* update({ _tag: "StageAdvanced", stage: "profiles", done: 100_000 })
      yield* update({
        _tag: "StageEnded",
        stage: "profiles",
        outcome: "succeeded",
        throughput: { rows: 100_000, resumedRows: 60_000, ms: 2500 }
      })
      expect(out.lines().at(-1)).toBe("[profiles] succeeded in 2.5s (100,000 profiles, 60,000 resumed, 16,000 profiles/s)")
    }).pipe(Effect.provide(out.layer))
  })

  it.effect("handles stages without a total, reused stages, and interleaved stages", () => {
    const out = capture()
    return Effect.gen(function* () {
      yield* update({ _tag: "StageEnded", stage: "profiles", outcome: "reused" })
      yield* update({ _tag: "StageStarted", stage: "a", attempt: 1 })
      yield* update({ _tag: "StageStarted", stage: "b", attempt: 1 })
      yield* update({ _tag: "StageAdvanced", stage: "a", done: 10 })
      yield* TestClock.adjust("2 seconds")
      yield* update({ _tag: "StageAdvanced", stage: "a", done: 30 })
      yield* update({ _tag: "StageEnded", stage: "b", outcome: "interrupted" })
      expect(out.lines()).toEqual([
        "[profiles] reused",
        "[a] started",
        "[b] started",
        "[a] 30 items 10 items/s",
        "[b] interrupted in 2.0s"
      ])
    }).pipe(Effect.provide(out.layer))
  })

  it("formats counts and durations the same on every machine", () => {
    expect(formatCount(52_310.4)).toBe("52,310")
    expect(formatCount(1_234_567)).toBe("1,234,567")
    expect(formatCount(999)).toBe("999")
    expect(formatCount(-1234)).toBe("-1,234")
    expect(formatDuration(400)).toBe("0.4s")
    expect(formatDuration(125_000)).toBe("2m05s")
    expect(formatDuration(3_725_000)).toBe("1h02m")
  })
})
