import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { badFixture, configDir, fixtures, issuesOf, issueWith } from "./load-helpers.js"
import * as path from "node:path"

const good = path.join(fixtures, "good.yaml")

describe("loadPipeline: bad pipeline files", () => {
  it.effect("reports a YAML syntax error with the parser's line and column", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("syntax-error.yaml") })
      const issue = issues[0]
      expect(issue?.message).toMatch(/^YAML syntax error: Flow sequence .* end with a \]/)
      expect(issue).toMatchObject({ file: badFixture("syntax-error.yaml"), line: 5, column: 26 })
    }))

  it.effect("suggests 'stages' for the top-level key 'stagse'", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("unknown-top-level-key.yaml") })
      const issue = issueWith(issues, "unknown top-level key 'stagse'")
      expect(issue.message).toContain("did you mean 'stages'?")
      expect(issue).toMatchObject({ line: 2, column: 1, path: "stagse" })
    }))

  it.effect("suggests the nearest registered kind for an unknown 'uses'", () =>
    Effect.gen(function* () {
      const issue = issueWith(yield* issuesOf({ file: badFixture("unknown-kind.yaml") }), "unknown stage kind")
      expect(issue.message).toBe("unknown stage kind 'numbrs'; did you mean 'numbers'?")
      expect(issue).toMatchObject({ line: 4, column: 11, path: "stages.nums.uses" })
    }))

  it.effect("reports a config value of the wrong type as expected/found", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("wrong-config-type.yaml") })
      expect(issues).toHaveLength(1)
      expect(issues[0]).toMatchObject({ line: 6, column: 14, path: "stages.nums.with.count", message: 'expected number, found "abc"' })
    }))

  it.effect("suggests the nearest config field for an unknown config key", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("unknown-config-key.yaml") })
      expect(issues).toHaveLength(1)
      expect(issues[0]?.message).toBe("unknown config key 'seeed' for kind numbers; did you mean 'seed'?")
      expect(issues[0]).toMatchObject({ line: 7, column: 7, path: "stages.nums.with.seeed" })
    }))

  it.effect("suggests an existing stage for an unknown needs target, without follow-up noise", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("missing-needs-target.yaml") })
      expect(issues).toHaveLength(1)
      expect(issues[0]?.message).toBe("unknown stage 'numz' in needs; did you mean 'nums'?")
      expect(issues[0]).toMatchObject({ line: 8, column: 13, path: "stages.total.needs" })
    }))

  it.effect("names the members of a cycle once, at its first member", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("cycle.yaml") })
      expect(issues).toHaveLength(1)
      expect(issues[0]?.message).toContain("dependency cycle: a -> c -> b -> a")
      expect(issues[0]).toMatchObject({ line: 6, column: 3, path: "stages.a.needs" })
    }))

  it.effect("reports a duplicate stage id with the line of the first definition", () =>
    Effect.gen(function* () {
      const issue = issueWith(yield* issuesOf({ file: badFixture("duplicate-stage.yaml") }), "duplicate stage id")
      expect(issue.message).toContain("duplicate stage id 'nums' (first defined at line 3)")
      expect(issue).toMatchObject({ line: 8, column: 3, path: "stages.nums" })
    }))

  it.effect("reports an input wired to a stage producing another artifact kind", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("wrong-artifact.yaml") })
      expect(issues).toHaveLength(1)
      expect(issues[0]?.message).toBe(
        "input 'series' expects artifact 'number-series' but stage 'label' (kind describe) produces 'text'"
      )
      expect(issues[0]).toMatchObject({ line: 8, column: 15, path: "stages.total.inputs.series" })
    }))

  it.effect("reports an undefined ${params.x} with a suggestion, once", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("undefined-param.yaml") })
      expect(issues).toHaveLength(1)
      expect(issues[0]?.message).toBe("undefined param 'nn' in '${params.nn}'; did you mean 'n'?")
      expect(issues[0]).toMatchObject({ line: 8, column: 14, path: "stages.nums.with.count" })
    }))

  it.effect("suggests a declared resource for an undeclared one", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("undefined-resource.yaml") })
      expect(issues).toHaveLength(1)
      expect(issues[0]?.message).toContain("undeclared resource 'gpuu'")
      expect(issues[0]?.message).toContain("did you mean 'gpu'?")
      expect(issues[0]).toMatchObject({ line: 9, column: 9 })
    }))

  it.effect("reports a stage without 'uses' at the stage, listing the kinds", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("missing-uses.yaml") })
      expect(issues).toHaveLength(1)
      expect(issues[0]?.message).toBe(
        "stage 'nums' has no 'uses': add the name of the stage kind it runs (known kinds: numbers, sum, describe)"
      )
      expect(issues[0]).toMatchObject({ line: 3, column: 3, path: "stages.nums" })
    }))

  it.effect("reports a malformed duration with the accepted forms", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("bad-duration.yaml") })
      expect(issues).toHaveLength(1)
      expect(issues[0]?.message).toContain('found "5 minutes"')
      expect(issues[0]?.message).toContain("250ms, 2s, 1.5m, 1h")
      expect(issues[0]).toMatchObject({ line: 6, column: 14, path: "stages.nums.timeout" })
    }))

  it.effect("reports unwired and ambiguous inputs with how to wire them", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("unwired-input.yaml") })
      expect(issues).toHaveLength(2)
      const ambiguous = issueWith(issues, "is ambiguous")
      expect(ambiguous.message).toContain("needed stages nums, more all produce it")
      expect(ambiguous).toMatchObject({ line: 10, path: "stages.total.inputs.series" })
      const unwired = issueWith(issues, "is not wired")
      expect(unwired.message).toContain("stages producing it: nums, more")
      expect(unwired).toMatchObject({ line: 13, path: "stages.lonely.inputs.series" })
    }))

  it.effect("collects every issue of a file, in line order", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("many-issues.yaml") })
      expect(issues.map((i) => [i.line, i.path])).toEqual([
        [1, "pipeline"],
        [8, "stages.nums.with.count"],
        [9, "stages.nums.with.mode"],
        [10, "stages.nums.retyr"],
        [13, "stages.total.inputs.serie"]
      ])
      expect(issues[1]?.message).toBe("expected integer (positive), found -3")
      expect(issues[2]?.message).toBe('expected "uniform" | "normal", found "gaussian"')
      expect(issues[3]?.message).toContain("did you mean 'retry'?")
      expect(issues[4]?.message).toContain("did you mean 'series'?")
    }))

  it.effect("reports a missing pipeline file at line 0", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: badFixture("does-not-exist.yaml") })
      expect(issues).toEqual([
        { file: badFixture("does-not-exist.yaml"), line: 0, column: 0, path: "", message: "cannot read pipeline file: file not found" }
      ])
    }))

  it.effect("reports an unknown profile with the available ones and a suggestion", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: good, profile: "cii", configDir })
      expect(issues).toHaveLength(1)
      expect(issues[0]).toMatchObject({ file: "--profile", line: 0 })
      expect(issues[0]?.message).toContain("unknown profile 'cii'")
      expect(issues[0]?.message).toContain("did you mean 'ci'?")
      const far = yield* issuesOf({ file: good, profile: "zzzzzz", configDir })
      expect(far[0]?.message).toContain("known profiles: 'ci', 'gpu'")
    }))

  it.effect("suggests a known layer for an unknown layer name in the file", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: good, layers: { stores: Schema.Unknown, workers: Schema.Unknown } })
      expect(issues).toHaveLength(1)
      expect(issues[0]?.message).toBe("unknown layer 'store'; did you mean 'stores'?")
      expect(issues[0]).toMatchObject({ file: good, line: 8, column: 3, path: "layers.store" })
    }))
})
