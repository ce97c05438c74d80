import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as path from "node:path"
import { testLayers } from "./fixture-kinds.js"
import { fixtures, issuesOf, issueWith, load } from "./load-helpers.js"

const good = path.join(fixtures, "good.yaml")

describe("loadPipeline: --set overrides", () => {
  it.effect("reports an unknown stage id in a --set path against that argument", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: good, sets: ["stages.numz.with.count=3"] })
      expect(issues).toEqual([
        {
          file: "--set stages.numz.with.count=3",
          line: 0,
          column: 0,
          path: "stages.numz.with.count",
          message: "unknown stage 'numz'; did you mean 'nums'?"
        }
      ])
    }))

  it.effect("reports a value of the wrong type against the --set argument", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: good, sets: ["stages.nums.with.count=abc"] })
      expect(issues).toEqual([
        {
          file: "--set stages.nums.with.count=abc",
          line: 0,
          column: 0,
          path: "stages.nums.with.count",
          message: 'expected number, found "abc"'
        }
      ])
    }))

  it.effect("reports a bad param type reached through ${params.x} at the --set argument", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({ file: good, sets: ["params.n=-5"] })
      expect(issues).toHaveLength(1)
      expect(issues[0]).toMatchObject({ file: "--set params.n=-5", line: 0, path: "stages.nums.with.count" })
      expect(issues[0]?.message).toContain("expected integer (positive), found -5")
      expect(issues[0]?.message).toContain("${params.n}")
    }))

  it.effect("rejects unknown roots, params, stage fields, layers and malformed arguments", () =>
    Effect.gen(function* () {
      const issues = yield* issuesOf({
        file: good,
        layers: testLayers,
        sets: ["nope", "=3", "a..b=1", "param.n=3", "params.nn=3", "stages.nums.whith.count=3", "layers.workerz.size=2", "stages.nums.with.seeed=3"]
      })
      expect(issueWith(issues, "expected PATH=VALUE").file).toBe("--set nope")
      expect(issueWith(issues, "the path '' is empty").file).toBe("--set =3")
      expect(issueWith(issues, "the path 'a..b'").file).toBe("--set a..b=1")
      expect(issueWith(issues, "cannot change 'param'").message).toContain("did you mean 'params'?")
      expect(issueWith(issues, "unknown param 'nn'").message).toContain("did you mean 'n'?")
      expect(issueWith(issues, "unknown stage field 'whith'").message).toContain("did you mean 'with'?")
      expect(issueWith(issues, "unknown layer 'workerz'").message).toContain("did you mean 'workers'?")
      const key = issueWith(issues, "unknown config key 'seeed'")
      expect(key).toMatchObject({ file: "--set stages.nums.with.seeed=3", line: 0, path: "stages.nums.with.seeed" })
      expect(issues.every((i) => i.line === 0 && i.file.startsWith("--set "))).toBe(true)
      expect(issues).toHaveLength(8)
    }))

  it.effect("parses values as YAML: numbers, strings, lists", () =>
    Effect.gen(function* () {
      const spec = yield* load({
        file: good,
        sets: ["stages.nums.with.count=64", "stages.nums.with.mode=normal", "stages.total.needs=[nums, label]", "description=plain words"]
      })
      const nums = spec.stages.find((s) => s.id === "nums")
      expect(nums?.config).toEqual({ count: 64, seed: 7, mode: "normal" })
      expect(spec.stages.find((s) => s.id === "total")?.needs).toEqual(["nums", "label"])
      expect(spec.description).toBe("plain words")
    }))

  it.effect("a later --set of the same path wins, and params reach every ${params.x}", () =>
    Effect.gen(function* () {
      const spec = yield* load({ file: good, sets: ["params.n=5", "params.n=9"] })
      expect(spec.params["n"]).toBe(9)
      expect(spec.stages.find((s) => s.id === "nums")?.config).toMatchObject({ count: 9 })
      expect(spec.stages.find((s) => s.id === "label")?.config).toEqual({ title: "run ${literal} n=9" })
    }))
})
