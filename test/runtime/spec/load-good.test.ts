import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as path from "node:path"
import { testLayers } from "./fixture-kinds.js"
import { configDir, fixtures, issuesOf, load } from "./load-helpers.js"

const good = path.join(fixtures, "good.yaml")

describe("loadPipeline: valid pipelines", () => {
  it.effect("orders stages topologically, file order among ready ones", () =>
    Effect.gen(function* () {
      const spec = yield* load({ file: good })
      expect(spec.stages.map((s) => s.id)).toEqual(["nums", "total", "label"])
      expect(spec.name).toBe("demo")
      expect(spec.file).toBe(good)
      expect(spec.stages.find((s) => s.id === "nums")?.location).toEqual({ file: good, line: 15, column: 3 })
    }))

  it.effect("applies config defaults and default retry/timeout", () =>
    Effect.gen(function* () {
      const spec = yield* load({ file: path.join(fixtures, "defaults.yaml") })
      const [nums, total] = spec.stages
      expect(nums?.config).toEqual({ count: 5, seed: 42, mode: "uniform" })
      expect(nums?.configEncoded).toEqual({ count: 5, seed: 42, mode: "uniform" })
      expect(nums?.retry).toEqual({ times: 0, baseMs: 100, maxMs: 10_000 })
      expect(nums?.timeoutMs).toBeNull()
      expect(total?.config).toEqual({ scale: 1 })
      expect(total?.timeoutMs).toBe(250)
      // The fixtures directory has a config/: it is the project, so out/ resolves there.
      expect(spec.outputDir).toBe(path.resolve(fixtures, "out", "defaults"))
    }))

  it.effect("substitutes typed values for whole ${params.x} strings, text otherwise", () =>
    Effect.gen(function* () {
      const spec = yield* load({ file: good })
      const nums = spec.stages.find((s) => s.id === "nums")
      expect(nums?.config).toEqual({ count: 100, seed: 7, mode: "uniform" })
      expect(spec.stages.find((s) => s.id === "label")?.config).toEqual({ title: "run ${literal} n=100" })
      expect(spec.description).toBe("numbers for demo")
    }))

  it.effect("parses durations and retry policies", () =>
    Effect.gen(function* () {
      const nums = (yield* load({ file: good })).stages.find((s) => s.id === "nums")
      expect(nums?.retry).toEqual({ times: 3, baseMs: 200, maxMs: 5_000 })
      expect(nums?.timeoutMs).toBe(90_000)
      expect(nums?.resources).toEqual(["cpu-heavy"])
    }))

  it.effect("wires inputs explicitly and automatically, adding them to needs", () =>
    Effect.gen(function* () {
      const auto = (yield* load({ file: good })).stages.find((s) => s.id === "total")
      expect(auto?.inputs).toEqual({ series: "nums" })
      expect(auto?.needs).toEqual(["nums"])
      const explicit = (yield* load({ file: path.join(fixtures, "defaults.yaml") })).stages.find((s) => s.id === "total")
      expect(explicit?.inputs).toEqual({ series: "nums" })
      expect(explicit?.needs).toEqual(["nums"])
    }))

  it.effect("merges default.yaml < profile < file < --set", () =>
    Effect.gen(function* () {
      const spec = yield* load({ file: path.join(fixtures, "precedence.yaml"), profile: "ci", configDir, sets: ["params.d=set"] })
      expect(spec.params).toEqual({ a: "default", b: "ci", c: "file", d: "set" })
      expect(spec.layers["workers"]).toEqual({ size: 3 })
      const noProfile = yield* load({ file: path.join(fixtures, "precedence.yaml"), configDir })
      expect(noProfile.params).toEqual({ a: "default", b: "default", c: "file", d: "file" })
      expect(noProfile.layers["workers"]).toEqual({ size: 1 })
    }))

  it.effect("decodes layer settings with their schemas and defaults; store.dir sets outputDir", () =>
    Effect.gen(function* () {
      const spec = yield* load({ file: good, layers: testLayers })
      expect(spec.layers).toEqual({ store: { dir: "out/demo-test" }, workers: { size: 2 } })
      expect(spec.outputDir).toBe(path.resolve(fixtures, "out", "demo-test"))
      const issues = yield* issuesOf({ file: good, layers: testLayers, sets: ["layers.workers.sise=4", "layers.workers.size=0"] })
      expect(issues.map((i) => i.message)).toEqual([
        "unknown setting 'sise' for layer workers; did you mean 'size'?",
        "expected integer (positive), found 0"
      ])
    }))
})
