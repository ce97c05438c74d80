import { describe, expect, it } from "vitest"
import { jaccard, jaccardFromCounts } from "../../../src/domain/matching/index.js"

const set = (...items: Array<string>): ReadonlySet<string> => new Set(items)

describe("jaccard (seed test_03)", () => {
  it("is 1 for identical sets", () => {
    expect(jaccard(set("a", "b", "c"), set("a", "b", "c"))).toBe(1)
  })

  it("is |A∩B|/|A∪B| for overlapping sets", () => {
    expect(jaccard(set("a", "b", "c"), set("a", "b", "d"))).toBe(0.5)
    expect(jaccard(set("a"), set("a", "b", "c"))).toBe(1 / 3)
  })

  it("is 0 for disjoint sets and when one side is empty", () => {
    expect(jaccard(set("a", "b"), set("c", "d"))).toBe(0)
    expect(jaccard(set(), set("a", "b"))).toBe(0)
    expect(jaccard(set("a"), set())).toBe(0)
  })

  it("is 0 when both sets are empty, as the seed defines it", () => {
    expect(jaccard(set(), set())).toBe(0)
    expect(jaccardFromCounts(0, 0, 0)).toBe(0)
  })

  it("is symmetric", () => {
    expect(jaccard(set("x", "y"), set("y", "z", "w"))).toBe(jaccard(set("y", "z", "w"), set("x", "y")))
  })
})
