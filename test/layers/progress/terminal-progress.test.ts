import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { Progress, type ProgressUpdate } from "../../../src/runtime/services/progress.js"
import { ProgressTerminal } from "../../../src/layers/progress/terminal-progress.js"
import { supportsColour } from "../../../src/layers/progress/colour.js"
import { ProgressAuto } from "../../../src/layers/progress/auto-progress.js"
import { SPINNER_FRAMES } from "../../../src/layers/progress/terminal-block.js"
import { FakeTerminal } from "./fake-terminal.js"

const update = (u: ProgressUpdate) => Effect.flatMap(Progress, (p) => p.update(u))
const close = Effect.flatMap(Progress, (p) => p.close)

const terminal = (columns = 100, rows = 30, colour = false) => {
  const term = new FakeTerminal(columns)
  return { term, layer: ProgressTerminal.layer({ write: term.write, size: () => ({ columns, rows }), colour }) }
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
      // ETA: 50 rows left at 45 rows/s.
      expect(term.screen[0]).toBe("vectors       ████████████░░░░░░░░░░░░   50% 50/100 rows  45 rows/s  1.1s  1.1s left")
      // No total: a spinner, not a frozen 0 % bar.
      expect(term.screen[1]).toMatch(/^embeddings {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] working {2}1\.1s$/)

      yield* update({ _tag: "StageEnded", stage: "vectors", outcome: "succeeded" })
      expect(term.screen).toHaveLength(2)
      expect(term.screen[0]).toMatch(/^\[vectors\] succeeded in 1\.1s \(50 rows, \d+ rows\/s\)$/)
      expect(term.screen[1]).toMatch(/^embeddings {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] working/)

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

  it.scoped("turns the spinner of a stage without a total at each redraw, with its elapsed time", () => {
    const { term, layer } = terminal()
    return Effect.gen(function* () {
      yield* update({ _tag: "StageStarted", stage: "train", attempt: 1 })
      yield* TestClock.adjust("100 millis")
      const first = term.screen[0]!
      expect(first).toBe(`train  ${SPINNER_FRAMES[1]} working  0.1s`)
      yield* TestClock.adjust("100 millis")
      expect(term.screen[0]).toBe(`train  ${SPINNER_FRAMES[2]} working  0.2s`)
      // Items without a total: the count beside the spinner.
      yield* update({ _tag: "StageAdvanced", stage: "train", done: 5 })
      yield* TestClock.adjust("100 millis")
      expect(term.screen[0]).toBe(`train  ${SPINNER_FRAMES[3]} 5 items  0.3s`)
      expect(term.screen[0]).not.toContain("░")
    }).pipe(Effect.provide(layer))
  })

  it.scoped("prints a message wider than the terminal above the block without leaving garbage", () => {
    const { term, layer } = terminal(40, 20)
    return Effect.gen(function* () {
      yield* update({ _tag: "StageStarted", stage: "match", attempt: 1 })
      yield* update({ _tag: "StageStarted", stage: "match-random", attempt: 1 })
      yield* update({ _tag: "StageStarted", stage: "report", attempt: 1 })
      yield* TestClock.adjust("100 millis")
      expect(term.screen).toHaveLength(3)
      const message = "x".repeat(90) // wraps onto three rows of 40 columns
      yield* update({ _tag: "StageMessage", stage: "match", message })
      const text = `[match] ${message}`
      expect(term.screen.slice(0, 3)).toEqual([text.slice(0, 40), text.slice(40, 80), text.slice(80)])
      expect(term.screen.slice(3).map((l) => l.split(" ")[0])).toEqual(["match", "match-random", "report"])
    }).pipe(Effect.provide(layer))
  })

  it.scoped("adds a spinner to a bar whose count has not moved for a second", () => {
    const { term, layer } = terminal()
    return Effect.gen(function* () {
      yield* update({ _tag: "StageStarted", stage: "index", attempt: 1 })
      yield* update({ _tag: "StageTotal", stage: "index", total: 100, unit: "rows" })
      yield* TestClock.adjust("500 millis")
      expect(term.screen[0]).toMatch(/^index {4}░{24}/)
      yield* TestClock.adjust("600 millis")
      expect(term.screen[0]).toMatch(/^index {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] ░{24} {4}0% 0\/100 rows {2}1\.1s$/)
      yield* update({ _tag: "StageAdvanced", stage: "index", done: 10 })
      yield* TestClock.adjust("100 millis")
      expect(term.screen[0]).toMatch(/^index {4}██░{22}/)
    }).pipe(Effect.provide(layer))
  })

  it.scoped("shows an overall line once the run says how many stages it has", () => {
    const { term, layer } = terminal()
    return Effect.gen(function* () {
      yield* update({ _tag: "RunStarted", stages: 4 })
      yield* update({ _tag: "StageEnded", stage: "profiles", outcome: "reused" })
      yield* update({ _tag: "StageStarted", stage: "a", attempt: 1 })
      yield* update({ _tag: "StageStarted", stage: "b", attempt: 1 })
      yield* TestClock.adjust("65 seconds")
      expect(term.screen.at(-1)).toBe("1/4 stages done, 2 running, 1m05s elapsed")
      yield* update({ _tag: "StageEnded", stage: "a", outcome: "failed" })
      yield* TestClock.adjust("100 millis")
      expect(term.screen.at(-1)).toBe("2/4 stages done, 1 running, 1 failed, 1m05s elapsed")
      expect(term.screen).toHaveLength(4) // two ends above, one stage, the overall line
      yield* close
      expect(term.screen).toEqual(["[profiles] reused", "[a] failed in 1m05s"])
    }).pipe(Effect.provide(layer))
  })

  it.scoped("colours bars and outcomes when asked, with the same text on screen", () => {
    const plain = terminal(100, 30, false)
    const coloured = terminal(100, 30, true)
    const script = Effect.gen(function* () {
      yield* update({ _tag: "RunStarted", stages: 2 })
      yield* update({ _tag: "StageStarted", stage: "vectors", attempt: 1 })
      yield* update({ _tag: "StageTotal", stage: "vectors", total: 100, unit: "rows" })
      yield* update({ _tag: "StageAdvanced", stage: "vectors", done: 10 })
      yield* TestClock.adjust("1 second")
      yield* update({ _tag: "StageAdvanced", stage: "vectors", done: 60 })
      yield* TestClock.adjust("100 millis")
    })
    return Effect.gen(function* () {
      yield* Effect.provide(script, plain.layer)
      yield* Effect.provide(script, coloured.layer)
      expect(plain.term.colourCodes).toBe(0)
      expect(coloured.term.colourCodes).toBeGreaterThan(0)
      expect(coloured.term.screen).toEqual(plain.term.screen)
      expect(coloured.term.overflow).toBe(0)
    })
  })

  it.scoped("cuts coloured lines on their visible text", () => {
    const { term, layer } = terminal(40, 10, true)
    return Effect.gen(function* () {
      yield* update({ _tag: "StageStarted", stage: "embeddings", attempt: 1 })
      yield* update({ _tag: "StageTotal", stage: "embeddings", total: 1000, unit: "rows" })
      yield* update({ _tag: "StageAdvanced", stage: "embeddings", done: 500 })
      yield* TestClock.adjust("100 millis")
      expect(term.screen[0]).toHaveLength(39)
      expect(term.screen[0]!.endsWith("…")).toBe(true)
      expect(term.overflow).toBe(0)
    }).pipe(Effect.provide(layer))
  })

  it("decides colour from the terminal and NO_COLOR / FORCE_COLOR", () => {
    expect(supportsColour(true, {})).toBe(true)
    expect(supportsColour(false, {})).toBe(false)
    expect(supportsColour(true, { NO_COLOR: "1" })).toBe(false)
    expect(supportsColour(true, { NO_COLOR: "" })).toBe(true)
    expect(supportsColour(true, { TERM: "dumb" })).toBe(false)
    expect(supportsColour(false, { FORCE_COLOR: "1" })).toBe(true)
    expect(supportsColour(true, { FORCE_COLOR: "0" })).toBe(false)
    expect(supportsColour(true, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false)
  })

  it.scoped("ProgressAuto's bars have colour unless NO_COLOR is set", () => {
    const run = (env: Record<string, string>) => {
      const out: Array<string> = []
      return Effect.scoped(
        Effect.gen(function* () {
          yield* update({ _tag: "StageStarted", stage: "a", attempt: 1 })
          yield* update({ _tag: "StageEnded", stage: "a", outcome: "succeeded" })
        }).pipe(Effect.provide(ProgressAuto.layer({ isTTY: true, env, write: (s) => void out.push(s) })))
      ).pipe(Effect.map(() => out.join("")))
    }
    return Effect.gen(function* () {
      expect(yield* run({})).toContain("\u001b[32msucceeded\u001b[0m")
      const noColour = yield* run({ NO_COLOR: "1" })
      expect(noColour).toContain("[a] succeeded")
      expect(noColour).not.toMatch(/\u001b\[\d+m/)
    })
  })
})
