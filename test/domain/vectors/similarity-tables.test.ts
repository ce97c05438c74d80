/** The embedding's copies of the seed's similarity tables must agree with the match score's functions. */
import { describe, expect, it } from "vitest"
import { availabilitySimilarity } from "../../../src/domain/matching/availability.js"
import { interactionSimilarity } from "../../../src/domain/matching/interaction.js"
import { AVAILABILITIES, INTERACTIONS } from "../../../src/domain/profile/index.js"
import { AVAILABILITY_SIMILARITY, INTERACTION_SIMILARITY } from "../../../src/domain/vectors/index.js"

describe("similarity tables", () => {
  it("equal the match score's availability and interaction similarities over the vocabularies", () => {
    AVAILABILITIES.forEach((a, i) =>
      AVAILABILITIES.forEach((b, j) => expect(AVAILABILITY_SIMILARITY[i]![j], `${a} / ${b}`).toBeCloseTo(availabilitySimilarity(a, b), 12))
    )
    INTERACTIONS.forEach((a, i) =>
      INTERACTIONS.forEach((b, j) => expect(INTERACTION_SIMILARITY[i]![j], `${a} / ${b}`).toBeCloseTo(interactionSimilarity(a, b), 12))
    )
  })
})
