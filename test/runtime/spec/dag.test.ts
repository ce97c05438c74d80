import { describe, expect, it } from "@effect/vitest"
import { topoOrder } from "../../../src/runtime/spec/dag.js"

describe("topoOrder", () => {
  it("puts dependencies first and keeps file order among ready stages", () => {
    const needs = new Map([["d", ["b"]], ["a", []], ["b", []], ["c", ["a"]]])
    expect(topoOrder(["d", "a", "b", "c"], needs)).toEqual({ order: ["a", "b", "d", "c"], cycle: undefined })
  })

  it("returns a cycle starting at its member that comes first in the file", () => {
    const needs = new Map([["x", []], ["b", ["c"]], ["a", ["b"]], ["c", ["a", "x"]]])
    const result = topoOrder(["x", "b", "a", "c"], needs)
    expect(result.order).toEqual(["x"])
    expect(result.cycle).toEqual(["b", "c", "a"])
  })

  it("finds a self-dependency", () => {
    expect(topoOrder(["a"], new Map([["a", ["a"]]])).cycle).toEqual(["a"])
  })
})
