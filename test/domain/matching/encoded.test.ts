import { describe, expect, it } from "vitest"
import {
  breakdownEncoded,
  DEFAULT_MATCH_CONFIG,
  encodeProfiles,
  fromSeedRow,
  type MatchConfig,
  matchScore,
  prepareProfile,
  ProfileEncoder,
  rankCandidates,
  scoreAllAgainst,
  scoreEncoded,
  scorePrepared,
  topMatchesEncoded
} from "../../../src/domain/matching/index.js"
import { CANDIDATES_5291, ORIGIN_5291 } from "./fixtures/origin-5291.js"
import { prng, randomProfiles } from "./random-profiles.js"

const CONFIGS: ReadonlyArray<readonly [string, MatchConfig]> = [
  ["seed defaults", DEFAULT_MATCH_CONFIG],
  [
    "strict gates at table values",
    { weights: { platforms: 0.2, availability: 0.2, games: 0.3, styles: 0.2, interaction: 0.1 }, gates: { platforms: 0.5, availability: 0.7 }, minScore: 0.3 }
  ],
  ["no gates", { ...DEFAULT_MATCH_CONFIG, gates: { platforms: 0, availability: 0 } }]
]

// Seed values only (platforms fit the per-origin gate table) and with values outside the lists
// (the platform vocabulary outgrows the table and the kernel computes both gates per row).
describe.each([
  ["seed values only", 0, 1],
  ["with unknown values", 0.05, 2]
] as const)("encoded scoring equals the reference (%s)", (_data, unknownRate, expectedPlatformWords) => {
  const profiles = randomProfiles(3000, 42, unknownRate)
  const prepared = profiles.map(prepareProfile)
  const enc = encodeProfiles(profiles)

  it("has the expected platform width", () => {
    expect(enc.platforms.words).toBe(expectedPlatformWords)
  })

  it.each(CONFIGS)("on 5,000 random pairs (%s), bit for bit", (_name, config) => {
    const rnd = prng(7)
    let passed = 0
    for (let n = 0; n < 5000; n++) {
      const i = Math.floor(rnd() * profiles.length)
      const j = Math.floor(rnd() * profiles.length)
      const ref = scorePrepared(prepared[i]!, prepared[j]!, config)
      expect(scoreEncoded(enc, i, j, config)).toBe(ref.score)
      expect(breakdownEncoded(enc, i, j, config)).toEqual(ref)
      if (ref.passed) passed++
    }
    // The sample must exercise both outcomes (where gates exist) for the comparison to mean anything.
    expect(passed).toBeGreaterThan(50)
    if (config.gates.platforms > 0) expect(passed).toBeLessThan(5000)
  })

  it.each(CONFIGS)("for whole rows against a few origins (%s)", (_name, config) => {
    const out = new Float32Array(enc.count)
    for (const origin of [0, 17, 1234, 2999]) {
      const passed = scoreAllAgainst(enc, origin, config, out)
      let refPassed = 0
      for (let j = 0; j < profiles.length; j++) {
        const ref = scorePrepared(prepared[origin]!, prepared[j]!, config)
        expect(Math.abs((out[j] as number) - ref.score)).toBeLessThanOrEqual(1e-6)
        if (ref.passed && j !== origin) refPassed++
      }
      expect(passed).toBe(refPassed)
    }
  })

  it.each(CONFIGS)("for the exhaustive top 10 (%s), same as rankCandidates over every profile", (_name, config) => {
    const all = profiles.map((profile, id) => ({ id, profile }))
    for (const origin of [3, 500, 2500]) {
      const ref = rankCandidates(all[origin]!, all, { config, top: 10 })
      const got = topMatchesEncoded(enc, origin, config, 10)
      expect(got.matches.map((m) => m.row)).toEqual(ref.matches.map((m) => m.id))
      expect(got.matches.map((m) => m.score)).toEqual(ref.matches.map((m) => m.breakdown.score))
      expect(got.passedGates).toBe(ref.passedGates)
      expect(got.kept).toBe(ref.kept)
    }
  })
})

// More rows than one scoring block (4,096): from the second block on, rows that cannot beat the
// current top are pruned; the result must stay exactly the reference's, `kept` included.
describe("the exhaustive top over several blocks (pruning)", () => {
  const profiles = randomProfiles(13_000, 9, 0)
  const enc = encodeProfiles(profiles)
  const all = profiles.map((profile, id) => ({ id, profile }))

  it.each(CONFIGS)("top 1, 3 and 10 equal rankCandidates over every profile (%s)", (_name, config) => {
    for (const origin of [0, 4096, 12_999]) {
      for (const top of [1, 3, 10]) {
        const ref = rankCandidates(all[origin]!, all, { config, top })
        const got = topMatchesEncoded(enc, origin, config, top)
        expect(got.matches.map((m) => m.row)).toEqual(ref.matches.map((m) => m.id))
        expect(got.matches.map((m) => m.score)).toEqual(ref.matches.map((m) => m.breakdown.score))
        expect(got.passedGates).toBe(ref.passedGates)
        expect(got.kept).toBe(ref.kept)
      }
    }
  })
})

describe("encoded layout", () => {
  it("reproduces the golden values of origin 5291", () => {
    const rows = [ORIGIN_5291, ...CANDIDATES_5291.map((c) => c.row)].map(fromSeedRow)
    const golden = encodeProfiles(rows)
    for (let j = 1; j < rows.length; j++) {
      expect(scoreEncoded(golden, 0, j)).toBe(matchScore(rows[0]!, rows[j]!).score)
    }
    expect(topMatchesEncoded(golden, 0).matches.map((m) => CANDIDATES_5291[m.row - 1]?.row.id)).toEqual([
      10568, 1948, 15561, 19849, 1988, 17782, 4710
    ])
  })

  it("uses 1 word for platforms, 4 for games and 1 for styles with the seed's lists", () => {
    const enc = encodeProfiles(randomProfiles(200, 1, 0))
    expect([enc.platforms.words, enc.games.words, enc.styles.words]).toEqual([1, 4, 1])
    expect(enc.platforms.vocabulary[0]).toBe("pc")
    expect(enc.interactionValues).toHaveLength(5)
  })

  it("encodes values outside the lists exactly, widening the bitsets", () => {
    const styles = Array.from({ length: 40 }, (_, k) => `Estilo novo ${k}`)
    const profiles = [
      { platforms: "PC", availability: "Noite", games: "Jogo A", styles: styles.slice(0, 20) },
      { platforms: "PC", availability: "Noite", games: "Jogo B", styles: styles.slice(10, 40) },
      { platforms: "PC", availability: "Noite", games: "jogo a ", styles: "Estilo novo 0" }
    ]
    const enc = encodeProfiles(profiles)
    expect(enc.styles.words).toBe(3) // 25 seed styles + 40 new ones
    expect(enc.styles.sizes[1]).toBe(30)
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) expect(breakdownEncoded(enc, i, j)).toEqual(matchScore(profiles[i]!, profiles[j]!))
    }
    // Two different unknown games do not match; the same one does.
    expect(breakdownEncoded(enc, 0, 1).components.games).toBe(0)
    expect(breakdownEncoded(enc, 0, 2).components.games).toBe(1)
  })

  it("covers both kernel paths when unknown platforms still fit one word", () => {
    // 8 seed platforms + 2 new ones = 10 bits: gate table; + 3 new ones = 11 bits: per-row gates.
    for (const extra of [["Console A", "Console B"], ["Console A", "Console B", "Console C"]]) {
      const base = randomProfiles(400, 11, 0)
      const profiles = base.map((p, k) => (k % 7 === 0 ? { ...p, platforms: [extra[k % extra.length]!, "PC"] } : p))
      const enc = encodeProfiles(profiles)
      expect(enc.platforms.vocabulary).toHaveLength(8 + extra.length)
      const all = profiles.map((profile, id) => ({ id, profile }))
      const out = new Float32Array(enc.count)
      for (const origin of [0, 7, 100]) {
        const ref = rankCandidates(all[origin]!, all, { top: 10 })
        const got = topMatchesEncoded(enc, origin)
        expect(got.matches.map((m) => m.row)).toEqual(ref.matches.map((m) => m.id))
        expect(got.passedGates).toBe(ref.passedGates)
        expect(scoreAllAgainst(enc, origin, DEFAULT_MATCH_CONFIG, out)).toBe(ref.passedGates)
        for (let j = 0; j < profiles.length; j++) {
          expect(scoreEncoded(enc, origin, j)).toBe(matchScore(profiles[origin]!, profiles[j]!).score)
        }
      }
    }
  })

  it("treats missing and blank fields as the reference does", () => {
    const profiles = [{}, { platforms: "", availability: "  ", interaction: " " }, { platforms: "PC", interaction: "Online" }]
    const enc = encodeProfiles(profiles)
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) expect(breakdownEncoded(enc, i, j)).toEqual(matchScore(profiles[i]!, profiles[j]!))
    }
  })

  it("streams through ProfileEncoder with the same result as encodeProfiles", () => {
    const profiles = randomProfiles(500, 9)
    const encoder = new ProfileEncoder({}, 10)
    for (const p of profiles) encoder.push(p)
    expect(encoder.count).toBe(500)
    expect(encoder.finish()).toEqual(encodeProfiles(profiles))
  })

  it("rejects rows out of range and a short output array", () => {
    const enc = encodeProfiles(randomProfiles(10, 3))
    expect(() => scoreEncoded(enc, 0, 10)).toThrow(RangeError)
    expect(() => scoreEncoded(enc, -1, 0)).toThrow(RangeError)
    expect(() => scoreAllAgainst(enc, 0, DEFAULT_MATCH_CONFIG, new Float32Array(9))).toThrow(RangeError)
    expect(() => topMatchesEncoded(enc, 11)).toThrow(RangeError)
    expect(() => topMatchesEncoded(enc, 0, DEFAULT_MATCH_CONFIG, -2)).toThrow(RangeError)
  })
})
