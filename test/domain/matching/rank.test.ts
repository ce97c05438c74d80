import { describe, expect, it } from "vitest"
import {
  DEFAULT_MATCH_CONFIG,
  fromSeedRow,
  type MatchProfile,
  rankCandidates,
  type RankCandidate
} from "../../../src/domain/matching/index.js"
import { CANDIDATES_5291, ORIGIN_5291 } from "./fixtures/origin-5291.js"

const origin: RankCandidate = { id: ORIGIN_5291.id, profile: fromSeedRow(ORIGIN_5291) }
const candidates: ReadonlyArray<RankCandidate> = CANDIDATES_5291.map((c) => ({ id: c.row.id, profile: fromSeedRow(c.row) }))

describe("rankCandidates", () => {
  it("ranks the 5291 candidates as the v1.3 dashboard does", () => {
    const r = rankCandidates(origin, candidates)
    expect(r.matches.map((m) => m.id)).toEqual([10568, 1948, 15561, 19849, 1988, 17782, 4710])
    expect(r.matches.map((m) => Math.round(m.breakdown.score * 1000) / 1000)).toEqual([
      0.836, 0.83, 0.693, 0.679, 0.67, 0.643, 0.6
    ])
    expect(r).toMatchObject({ candidates: 10, passedGates: 7, kept: 7 })
  })

  it("excludes the origin and repeated ids", () => {
    const withNoise = [origin, ...candidates, { id: 10568, profile: fromSeedRow(ORIGIN_5291) }, origin]
    const r = rankCandidates(origin, withNoise)
    expect(r.matches.map((m) => m.id)).not.toContain(origin.id)
    expect(r.matches.filter((m) => m.id === 10568)).toHaveLength(1)
    // The first occurrence of a repeated id is the one scored.
    expect(r.matches[0]?.breakdown.score).toBeCloseTo(0.836, 3)
    expect(r.candidates).toBe(10)
  })

  it("keeps candidate order among equal scores", () => {
    const same: MatchProfile = { platforms: "PC", availability: "Noite", games: "X", styles: "Y", interaction: "Online" }
    const better: MatchProfile = { ...same, styles: "Z, Y" }
    const o: RankCandidate = { id: 0, profile: { ...same, styles: "Y, Z" } }
    const list = [7, 3, 9, 1].map((id) => ({ id, profile: same }))
    const r = rankCandidates(o, [...list.slice(0, 2), { id: 5, profile: better }, ...list.slice(2)])
    expect(r.matches.map((m) => m.id)).toEqual([5, 7, 3, 9, 1])
  })

  it("cuts at top, counting everything before the cut", () => {
    const r = rankCandidates(origin, candidates, { top: 3 })
    expect(r.matches.map((m) => m.id)).toEqual([10568, 1948, 15561])
    expect(r.kept).toBe(7)
    expect(rankCandidates(origin, candidates, { top: 0 }).matches).toEqual([])
  })

  it("applies the floor after the gates", () => {
    const r = rankCandidates(origin, candidates, { config: { ...DEFAULT_MATCH_CONFIG, minScore: 0.68 } })
    expect(r.matches.map((m) => m.id)).toEqual([10568, 1948, 15561])
    expect(r).toMatchObject({ passedGates: 7, kept: 3 })
  })

  it("uses the configured gates", () => {
    const config = { ...DEFAULT_MATCH_CONFIG, gates: { platforms: 0.6, availability: 0.3 } }
    expect(rankCandidates(origin, candidates, { config }).matches.map((m) => m.id)).toEqual([10568, 1948, 15561])
  })

  it("rejects a top that is not a non-negative integer", () => {
    expect(() => rankCandidates(origin, candidates, { top: -1 })).toThrow(RangeError)
    expect(() => rankCandidates(origin, candidates, { top: 2.5 })).toThrow(/top/)
  })

  it("returns nothing when nothing passes", () => {
    const r = rankCandidates(origin, [{ id: 1, profile: { platforms: "Xbox One" } }])
    expect(r).toEqual({ matches: [], candidates: 1, passedGates: 0, kept: 0 })
  })
})
