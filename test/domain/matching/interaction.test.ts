import { describe, expect, it } from "vitest"
import {
  INTERACTION_CLASSES,
  INTERACTION_TABLE,
  classSimilarity,
  interactionSimilarity,
  SEED_INTERACTION
} from "../../../src/domain/matching/index.js"

describe("interactionSimilarity (seed test_05)", () => {
  it.each([
    ["Online", "Prefiro online", 0.9],
    ["Presencial", "presencial", 1.0],
    ["Online", "Presencial", 0.1],
    ["Indiferente", "Online", 0.5],
    ["Indiferente", "indiferente", 1.0],
    [null, "Online", 0.0],
    ["Casual", "Competitivo", 0.2]
  ] as const)("(%j, %j) = %d", (a, b, expected) => {
    expect(interactionSimilarity(a, b)).toBe(expected)
    expect(interactionSimilarity(b, a)).toBe(expected)
  })

  it("scores both-presencial 0.8", () => {
    expect(interactionSimilarity("Só presencial", "presencial sempre")).toBe(0.8)
  })

  it("reproduces the seed's matrix over the 5 V3 values, punctuation quirk included (seed-spec §6.2)", () => {
    const expected = [
      [1.0, 0.9, 0.1, 0.5, 0.2],
      [0.9, 1.0, 0.1, 0.5, 0.2],
      [0.1, 0.1, 1.0, 0.5, 0.2],
      [0.5, 0.5, 0.5, 1.0, 0.5],
      [0.2, 0.2, 0.2, 0.5, 1.0]
    ]
    const actual = SEED_INTERACTION.map((a) => SEED_INTERACTION.map((b) => interactionSimilarity(a, b)))
    expect(actual).toEqual(expected)
  })

  it("treats blank values as missing and compares trimmed values (deliberate differences)", () => {
    expect(interactionSimilarity(" ", " ")).toBe(0)
    expect(interactionSimilarity("", "Online")).toBe(0)
    expect(interactionSimilarity("Apenas Online ", "apenas online")).toBe(1)
  })

  it("has a lookup table equal to the rule function on every pair of classes", () => {
    for (let a = 0; a < INTERACTION_CLASSES; a++) {
      for (let b = 0; b < INTERACTION_CLASSES; b++) {
        expect(INTERACTION_TABLE[a * INTERACTION_CLASSES + b]).toBe(classSimilarity(a, b))
      }
    }
  })
})
