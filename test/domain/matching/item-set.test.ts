import { describe, expect, it } from "vitest"
import { itemSet } from "../../../src/domain/matching/index.js"

const sorted = (s: ReadonlySet<string>): Array<string> => [...s].sort()

describe("itemSet (seed test_02, safe_split_and_strip)", () => {
  it("splits on commas, trims, lower-cases", () => {
    expect(sorted(itemSet(" A , B, c "))).toEqual(["a", "b", "c"])
    expect(sorted(itemSet(" single"))).toEqual(["single"])
    expect(sorted(itemSet("  Lots , of , space  "))).toEqual(["lots", "of", "space"])
  })

  it("gives the empty set for empty and missing input", () => {
    expect(itemSet("").size).toBe(0)
    expect(itemSet(null).size).toBe(0)
    expect(itemSet(undefined).size).toBe(0)
    expect(itemSet(" , ,").size).toBe(0)
  })

  it("takes another delimiter", () => {
    expect(sorted(itemSet("A; B;C", ";"))).toEqual(["a", "b", "c"])
  })

  it("collapses duplicates, including the seed's duplicated list items", () => {
    expect(sorted(itemSet("Sandbox, Sandbox, Construção, Sobrevivência"))).toEqual([
      "construção",
      "sandbox",
      "sobrevivência"
    ])
    expect(itemSet("PC, pc, Pc ").size).toBe(1)
  })

  it("accepts lists, taking each item whole", () => {
    expect(sorted(itemSet(["PC", " Nintendo Switch ", "", "pc"]))).toEqual(["nintendo switch", "pc"])
    expect(sorted(itemSet(["A, B"]))).toEqual(["a, b"])
    expect(sorted(itemSet(["PC", "Steam Deck"]))).toEqual(sorted(itemSet("PC, Steam Deck")))
  })
})
