import { describe, expect, it } from "vitest"
import {
  DEFAULT_MATCH_CONFIG,
  fromSeedRow,
  matchScore,
  type MatchBreakdown,
  type MatchConfig
} from "../../../src/domain/matching/index.js"
import { CANDIDATES_5291, ORIGIN_5291 } from "./fixtures/origin-5291.js"

const componentList = (b: MatchBreakdown): Array<number> => [
  b.components.platforms,
  b.components.availability,
  b.components.games,
  b.components.styles,
  b.components.interaction
]

describe("matchScore: golden values of origin 5291 (seed-spec §6.11)", () => {
  const origin = fromSeedRow(ORIGIN_5291)

  it.each(CANDIDATES_5291.map((c) => [c.row.id, c] as const))("candidate %i", (_id, expected) => {
    const b = matchScore(origin, fromSeedRow(expected.row))
    // The seed shows totals to 3 decimals and details to 2 (Python's round-half-even, so 1/8 shows
    // as 0.12): every value must be within half a unit of the last shown digit.
    expect(Math.abs(b.score - expected.total)).toBeLessThanOrEqual(0.0005)
    componentList(b).forEach((value, k) => {
      expect(Math.abs(value - (expected.details[k] as number))).toBeLessThanOrEqual(0.005 + 1e-12)
    })
    expect(b.passed).toBe(expected.gate === "none")
    if (expected.gate !== "none") expect(b.score).toBe(0)
    if (expected.gate === "platforms") expect(b.components.platforms).toBeLessThan(0.2)
    if (expected.gate === "availability") {
      expect(b.components.platforms).toBeGreaterThanOrEqual(0.2)
      expect(b.components.availability).toBeLessThan(0.3)
    }
  })

  it("gives the exact fractions behind the rounded figures", () => {
    const byId = new Map(CANDIDATES_5291.map((c) => [c.row.id, matchScore(origin, fromSeedRow(c.row))]))
    const b10568 = byId.get(10568)
    expect(b10568 && componentList(b10568)).toEqual([1, 1, 1 / 7, 1 / 3, 0.1])
    expect(b10568?.score).toBe(0.45 + 0.35 + 0.1 * (1 / 7) + 0.05 * (1 / 3) + 0.05 * 0.1)
    const b19849 = byId.get(19849)
    expect(b19849 && componentList(b19849)).toEqual([0.5, 1, 2 / 7, 0.5, 1])
    const b15561 = byId.get(15561) // duplicated "Sandbox" counts once
    expect(b15561 && componentList(b15561)).toEqual([2 / 3, 1, 0, 2 / 3, 0.2])
    const b5613 = byId.get(5613)
    expect(b5613 && componentList(b5613)).toEqual([0.5, 0.1, 1 / 8, 1, 0.5])
  })

  it("returns unrounded components when a gate fails (deliberate difference: the seed rounded them)", () => {
    const gated = CANDIDATES_5291.find((c) => c.row.id === 4756)
    const b = gated && matchScore(origin, fromSeedRow(gated.row))
    expect(b?.components.games).toBe(1 / 6)
  })

  it("accepts list fields as arrays, with the same result as the string form", () => {
    const asLists = {
      platforms: ["PC", "Nintendo Switch"],
      availability: "Fim de Semana (Parcial)",
      games: ["Celeste", "Honkai: Star Rail", "Super Mario Odyssey", "Tekken 8"],
      styles: ["Sobrevivência", "Construção"],
      interaction: "Apenas Online"
    }
    for (const c of CANDIDATES_5291) {
      expect(matchScore(asLists, fromSeedRow(c.row))).toEqual(matchScore(origin, fromSeedRow(c.row)))
    }
  })
})

describe("matchScore: the seed's test_06 cases", () => {
  it("scores the pass pair 0.903333… with components (1, 1, 1/3, 0.5, 0.9)", () => {
    const p1 = { platforms: "PC, PS5", availability: "Noite", games: "RPG, Aventura", styles: "Exploração", interaction: "Online" }
    const p2 = {
      platforms: "PC, PS5",
      availability: "noite",
      games: "RPG, Estratégia",
      styles: "Exploração, Tático",
      interaction: "prefiro online"
    }
    const b = matchScore(p1, p2)
    expect(b.passed).toBe(true)
    expect(b.components).toEqual({ platforms: 1, availability: 1, games: 1 / 3, styles: 0.5, interaction: 0.9 })
    expect(b.score).toBeCloseTo(0.9033333333333333, 12)
    expect(b.weights).toEqual(DEFAULT_MATCH_CONFIG.weights)
    expect(b.gates).toEqual(DEFAULT_MATCH_CONFIG.gates)
  })

  it("scores exactly 0 when platforms fail their gate (PC vs Xbox)", () => {
    const base = { availability: "Noite", games: "A", styles: "B", interaction: "C" }
    const b = matchScore({ ...base, platforms: "PC" }, { ...base, platforms: "Xbox" })
    expect(b.components.platforms).toBeLessThan(0.2)
    expect(b.passed).toBe(false)
    expect(b.score).toBe(0)
  })

  it("scores exactly 0 when availability fails its gate (Manhã vs Madrugada)", () => {
    const base = { platforms: "PC, PS5", games: "A", styles: "B", interaction: "C" }
    const b = matchScore({ ...base, availability: "Manhã" }, { ...base, availability: "Madrugada" })
    expect(b.components.platforms).toBeGreaterThanOrEqual(0.2)
    expect(b.components.availability).toBeLessThan(0.3)
    expect(b.passed).toBe(false)
    expect(b.score).toBe(0)
  })
})

describe("matchScore: configuration", () => {
  const a = { platforms: "PC, PS5, Switch, Xbox, Mobile", availability: "Qualquer hora", games: "X", styles: "Y", interaction: "Online" }
  const b = { platforms: "PC", availability: "Tarde", games: "X", styles: "Z", interaction: "Online" }

  it("passes a value equal to its gate", () => {
    // platforms 1/5 = 0.2 exactly, availability 0.7 (flexivel)
    const gates: MatchConfig = { ...DEFAULT_MATCH_CONFIG, gates: { platforms: 0.2, availability: 0.7 } }
    expect(matchScore(a, b, gates).passed).toBe(true)
    const stricter: MatchConfig = { ...DEFAULT_MATCH_CONFIG, gates: { platforms: 0.21, availability: 0.7 } }
    expect(matchScore(a, b, stricter).passed).toBe(false)
  })

  it("uses the configured weights", () => {
    const gamesOnly: MatchConfig = {
      ...DEFAULT_MATCH_CONFIG,
      weights: { platforms: 0, availability: 0, games: 1, styles: 0, interaction: 0 }
    }
    const r = matchScore(a, b, gamesOnly)
    expect(r.score).toBe(1)
    expect(r.weights).toBe(gamesOnly.weights)
  })
})
