import { describe, expect, it } from "@effect/vitest"
import { editDistance, nearestName, suggestionText } from "../../../src/runtime/text/did-you-mean.js"

describe("did-you-mean", () => {
  it("counts adjacent transpositions as one edit", () => {
    expect(editDistance("stagse", "stages")).toBe(1)
    expect(editDistance("kitten", "sitting")).toBe(3)
    expect(editDistance("", "abc")).toBe(3)
    expect(editDistance("same", "same")).toBe(0)
  })

  it("suggests the nearest close name and nothing for far ones", () => {
    expect(nearestName("numbrs", ["sum", "numbers", "describe"])).toBe("numbers")
    expect(nearestName("Stages", ["stages", "params"])).toBe("stages")
    expect(nearestName("zzzzzz", ["stages", "params"])).toBeUndefined()
    expect(nearestName("k", ["x", "kk"])).toBe("x")
  })

  it("falls back to listing the known names", () => {
    expect(suggestionText("cii", ["ci", "gpu"], "profiles")).toBe("did you mean 'ci'?")
    expect(suggestionText("qqqq", ["ci", "gpu"], "profiles")).toBe("known profiles: 'ci', 'gpu'")
    expect(suggestionText("qqqq", [], "profiles")).toBe("there are no known profiles")
  })
})
