import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { Progress, type ProgressUpdate } from "../../../src/runtime/services/progress.js"
import { ProgressTerminal } from "../../../src/layers/progress/terminal-progress.js"
import { FakeTerminal } from "./fake-terminal.js"

const update = (u: ProgressUpdate) => Effect.flatMap(Progress, (p) => p.update(u))
const close = Effect.flatMap(Progress, (p) => p.close)

const terminal = (columns = 100, rows = 30) => {
  const term = new FakeTerminal(columns)
  return { term, layer: ProgressTerminal.layer({ write: term.write, size: () => ({ columns, rows }) }) }
}

describe("ProgressTerminal", () => {
  it.scoped("draws one bar per active stage and prints ends above the block", () => {
    const { term, layer } = terminal()
    return Effect.gen(function* () {
      yield* update({ _tag: "StageStarted", stage: "vectors", attempt: 1 })
      yield* update({ _tag: "StageStarted", stage: "embeddings", attempt: 1 })
      yield* update({ _tag: "StageTotal", stage: "vectors", total: 100, unit: "rows" })
      yield* update({ _tag: "StageAdvanced", stage: "vectors", done: 0 })
      yield* TestClock.adjust("1 second")
      yield* update({ _tag: "StageAdvanced", stage: "vectors", done: 50 })
      yield* TestClock.adjust("100 millis") // let the redraw fiber paint the latest state

      expect(term.screen).toHaveLength(2)
      expect(term.screen[0]).toBe("vectors     ████████████░░░░░░░░░░░░   50% 50/100 rows  45 rows/s  1.1s")
      expect(term.screen[1]).toMatch(/^embeddings {2}░{24} {2}0 items {2}1\.1s$/)

      yield* update({ _tag: "StageEnded", stage: "vectors", outcome: "succeeded" })
      expect(term.screen).toHaveLength(2)
      expect(term.screen[0]).toMatch(/^\[vectors\] succeeded in 1\.1s \(50 rows, \d+ rows\/s\)$/)
      expect(term.screen[1]).toMatch(/^embeddings {2}░{24}/)

      yield* update({ _tag: "StageMessage", stage: "embeddings", message: "loading model" })
      yield* update({ _tag: "StageEnded", stage: "embeddings", outcome: "failed" })
      yield* close
      expect(term.screen).toEqual([
        term.screen[0],
        "[embeddings] loading model",
        "[embeddings] failed in 1.1s"
      ])
      expect(term.overflow).toBe(0)
    }).pipe(Effect.provide(layer))
  })

  it.scoped("redraws at most every 100 ms however many updates arrive", () => {
    const { term, layer } = terminal()
    return Effect.gen(function* () {
      yield* update({ _tag: "StageStarted", stage: "s", attempt: 1 })
      yield* update({ _tag: "StageTotal", stage: "s", total: 1000, unit: "rows" })
      const before = term.writes
      for (let done = 1; done <= 200; done++) yield* update({ _tag: "StageAdvanced", stage: "s", done })
      expect(term.writes).toBe(before)
      yield* TestClock.adjust("100 millis")
      expect(term.writes).toBe(before + 1)
      expect(term.screen[0]).toContain("200/1,000 rows")
      // Nothing changed: no redraw until the elapsed time is due for one.
      yield* TestClock.adjust("300 millis")
      expect(term.writes).toBe(before + 1)
    }).pipe(Effect.provide(layer))
  })

  it.scoped("fits lines to narrow terminals and summarises stages that do not fit", () => {
    const { term, layer } = terminal(30, 4)
    return Effect.gen(function* () {
      for (const stage of ["one", "two", "three", "four", "five"]) {
        yield* update({ _tag: "StageStarted", stage, attempt: 1 })
      }
      yield* TestClock.adjust("100 millis")
      expect(term.screen).toHaveLength(3)
      expect(term.screen[2]).toBe("… and 3 more stages")
      for (const line of term.screen) expect(line.length).toBeLessThanOrEqual(29)
      expect(term.overflow).toBe(0)
    }).pipe(Effect.provide(layer))
  })

  it.effect("erases the block when its scope closes, even without close", () => {
    const { term, layer } = terminal()
    return Effect.gen(function* () {
      yield* Effect.scoped(
        Effect.gen(function* () {
          yield* update({ _tag: "StageEnded", stage: "profiles", outcome: "reused" })
          yield* update({ _tag: "StageStarted", stage: "a", attempt: 1 })
          yield* update({ _tag: "StageStarted", stage: "b", attempt: 1 })
          yield* TestClock.adjust("100 millis")
          expect(term.screen).toHaveLength(3)
        }).pipe(Effect.provide(layer))
      )
      expect(term.screen).toEqual(["[profiles] reused"])
    })
  })
})
