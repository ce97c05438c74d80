import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import {
  DEFAULT_MATCH_CONFIG,
  DEFAULT_MATCH_WEIGHTS,
  decodeMatchConfig,
  MatchConfigError,
  MatchWeights,
  type MatchConfigIssue
} from "../../../src/domain/matching/index.js"

const issuesOf = (input: unknown): ReadonlyArray<MatchConfigIssue> => {
  const result = decodeMatchConfig(input)
  if (Either.isRight(result)) throw new Error(`expected a decoding failure for ${JSON.stringify(input)}`)
  expect(result.left).toBeInstanceOf(MatchConfigError)
  return result.left.issues
}

describe("decodeMatchConfig", () => {
  it("fills the seed's defaults", () => {
    expect(decodeMatchConfig({})).toEqual(Either.right(DEFAULT_MATCH_CONFIG))
    expect(DEFAULT_MATCH_CONFIG).toEqual({
      weights: { platforms: 0.45, availability: 0.35, games: 0.1, styles: 0.05, interaction: 0.05 },
      gates: { platforms: 0.2, availability: 0.3 },
      minScore: 0.05
    })
  })

  it("accepts the default weights, whose decimal sum is not exactly 1 in binary", () => {
    expect(Schema.decodeUnknownSync(MatchWeights)(DEFAULT_MATCH_WEIGHTS)).toEqual(DEFAULT_MATCH_WEIGHTS)
  })

  it("lets one gate be set alone, keeping the other's default", () => {
    const result = decodeMatchConfig({ gates: { availability: 0.5 } })
    expect(Either.getOrThrow(result).gates).toEqual({ platforms: 0.2, availability: 0.5 })
  })

  it("accepts custom weights that sum to 1", () => {
    const weights = { platforms: 0.2, availability: 0.2, games: 0.2, styles: 0.2, interaction: 0.2 }
    expect(Either.getOrThrow(decodeMatchConfig({ weights })).weights).toEqual(weights)
  })

  it("names the field of a weight outside [0, 1]", () => {
    const issues = issuesOf({ weights: { ...DEFAULT_MATCH_WEIGHTS, games: 1.5, platforms: -0.5 } })
    expect(issues.map((i) => i.path).sort()).toEqual(["weights.games", "weights.platforms"])
    expect(issues[0]?.message).toMatch(/\[0, 1\]/)
  })

  it("rejects weights that do not sum to 1, saying so", () => {
    const issues = issuesOf({ weights: { ...DEFAULT_MATCH_WEIGHTS, games: 0.2 } })
    expect(issues).toHaveLength(1)
    expect(issues[0]?.path).toBe("weights")
    expect(issues[0]?.message).toMatch(/sum to 1.*got 1\.1/)
  })

  it("rejects a sum off by more than 1e-9", () => {
    const issues = issuesOf({ weights: { ...DEFAULT_MATCH_WEIGHTS, styles: 0.05 + 2e-9 } })
    expect(issues[0]?.path).toBe("weights")
  })

  it("requires all five weights when weights are given", () => {
    const issues = issuesOf({ weights: { platforms: 1 } })
    expect(issues.map((i) => i.path).sort()).toEqual([
      "weights.availability",
      "weights.games",
      "weights.interaction",
      "weights.styles"
    ])
  })

  it("rejects gates and floor outside [0, 1], NaN and non-numbers", () => {
    expect(issuesOf({ gates: { platforms: 1.2 } }).map((i) => i.path)).toEqual(["gates.platforms"])
    expect(issuesOf({ gates: { availability: Number.NaN } }).map((i) => i.path)).toEqual(["gates.availability"])
    expect(issuesOf({ minScore: -0.1 }).map((i) => i.path)).toEqual(["minScore"])
    const wrongType = issuesOf({ gates: { platforms: "0.2" } })
    expect(wrongType[0]?.path).toBe("gates.platforms")
    expect(wrongType[0]?.message).toMatch(/number/)
  })

  it("rejects unknown keys, naming them", () => {
    const issues = issuesOf({ weigths: DEFAULT_MATCH_WEIGHTS })
    expect(issues[0]?.path).toBe("weigths")
  })

  it("puts every issue in the error message with its path", () => {
    const result = decodeMatchConfig({ gates: { platforms: 2 }, minScore: 3 })
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left.message).toContain("gates.platforms:")
      expect(result.left.message).toContain("minScore:")
    }
  })
})
