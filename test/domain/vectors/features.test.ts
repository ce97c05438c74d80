import { describe, expect, it } from "vitest"
import {
  AVAILABILITIES,
  COMMUNICATION_STYLES,
  COMPETITIVE_LEVELS,
  generateChunk,
  INTERACTIONS,
  LANGUAGES,
  MAIN_GOALS,
  PLATFORMS,
  profileAt,
  SEXES
} from "../../../src/domain/profile/index.js"
import { FEATURE_DIM, FEATURE_LAYOUT, featuresInto } from "../../../src/domain/vectors/index.js"

describe("feature vector", () => {
  it("has a layout whose blocks tile 0..FEATURE_DIM without gaps or overlaps", () => {
    const widths: Record<keyof typeof FEATURE_LAYOUT, number> = {
      age: 1,
      sex: SEXES.length,
      musicGenreCount: 1,
      gameCount: 1,
      platformCount: 1,
      playStyleCount: 1,
      sharesContact: 1,
      descriptionLength: 1,
      yearsOfExperience: 1,
      usesMicrophone: 1,
      languageCount: 1,
      platforms: PLATFORMS.length,
      availability: AVAILABILITIES.length,
      interaction: INTERACTIONS.length,
      mainGoal: MAIN_GOALS.length,
      languages: LANGUAGES.length,
      competitiveLevel: COMPETITIVE_LEVELS.length,
      communicationStyle: COMMUNICATION_STYLES.length
    }
    const blocks = Object.entries(FEATURE_LAYOUT).sort((a, b) => a[1] - b[1])
    let next = 0
    for (const [name, start] of blocks) {
      expect(start, name).toBe(next)
      next += widths[name as keyof typeof FEATURE_LAYOUT]
    }
    expect(next).toBe(FEATURE_DIM)
  })

  it("writes values in [0, 1] that encode the record", () => {
    const c = generateChunk(9, 0, 0, 20_000, "pt_BR")
    const out = new Float32Array(c.count * FEATURE_DIM)
    featuresInto(c, out)
    let outside = 0
    for (const x of out) if (!(x >= 0 && x <= 1)) outside++
    expect(outside).toBe(0)
    const L = FEATURE_LAYOUT
    for (const i of [0, 1, 2, 777, 19_999]) {
      const row = out.subarray(i * FEATURE_DIM, (i + 1) * FEATURE_DIM)
      const p = profileAt(c, i)
      expect(row[L.age]).toBeCloseTo((p.age - 18) / 47, 6)
      expect(row[L.sex + SEXES.indexOf(p.sex)]).toBe(1)
      expect(row[L.gameCount]).toBeCloseTo(p.favouriteGames.length / 5, 6)
      expect(row[L.platformCount]).toBeCloseTo(p.platforms.length / 3, 6)
      expect(row[L.sharesContact]).toBe(p.sharesContact ? 1 : 0)
      for (let k = 0; k < PLATFORMS.length; k++) {
        expect(row[L.platforms + k]).toBe(p.platforms.includes(PLATFORMS[k]!) ? 1 : 0)
      }
      expect(row[L.availability + AVAILABILITIES.indexOf(p.availability)]).toBe(1)
      expect(row[L.competitiveLevel + COMPETITIVE_LEVELS.indexOf(p.competitiveLevel)]).toBe(1)
      // One-hot blocks sum to exactly one.
      for (const [start, width] of [
        [L.sex, 4],
        [L.availability, 8],
        [L.interaction, 5],
        [L.mainGoal, 4],
        [L.competitiveLevel, 13],
        [L.communicationStyle, 9]
      ] as const) {
        expect(row.subarray(start, start + width).reduce((a, b) => a + b, 0)).toBe(1)
      }
    }
  })

  it("is deterministic and rejects a too-small output", () => {
    const c = generateChunk(9, 1, 0, 1000, "pt_BR")
    const a = new Float32Array(c.count * FEATURE_DIM).fill(7)
    const b = new Float32Array(c.count * FEATURE_DIM)
    featuresInto(c, a)
    featuresInto(c, b)
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true)
    expect(() => featuresInto(c, new Float32Array(10))).toThrow(RangeError)
  })
})
