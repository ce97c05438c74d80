/**
 * The data checks on 100,000 generated profiles: every field within its domain, contact
 * share 0.60 ± 0.01, state matches city, no duplicate list items, description lengths within the
 * stated bounds, first name matches sex.
 */
import { beforeAll, describe, expect, it } from "vitest"
import {
  CITIES,
  CITY_STATE,
  COMMUNICATION_STYLES,
  COMPETITIVE_LEVELS,
  DESCRIPTION_LENGTH_BOUNDS,
  FIRST_NAMES_BY_SEX,
  GAME_WORDS,
  generateChunk,
  LAST_NAMES,
  LIST_SIZES,
  MAIN_GOALS,
  NOT_RANKED,
  profileAt,
  SEXES,
  STATES,
  type Profile,
  type ProfileChunk
} from "../../../src/domain/profile/index.js"

const N = 100_000
const CHUNK = 25_000
let chunks: ProfileChunk[] = []
let profiles: Profile[] = []

const popcount = (x: number) => {
  let n = 0
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++
  return n
}

beforeAll(() => {
  chunks = Array.from({ length: N / CHUNK }, (_, k) => generateChunk(2024, k, k * CHUNK, CHUNK, "pt_BR"))
  profiles = chunks.flatMap((c) => Array.from({ length: c.count }, (_, i) => profileAt(c, i)))
})

describe("100,000 profiles", () => {
  it("have contiguous ids", () => {
    expect(profiles.length).toBe(N)
    expect(profiles.every((p, i) => p.id === i)).toBe(true)
  })

  it("keep every code inside its vocabulary and every list size within its range", () => {
    // Collect offending rows and assert once: millions of `expect` calls would dominate the test.
    const bad: string[] = []
    const check = (ok: boolean, what: string, id: number) => {
      if (!ok && bad.length < 10) bad.push(`${what} @${id}`)
    }
    for (const c of chunks) {
      for (let i = 0; i < c.count; i++) {
        const id = c.firstId + i
        check(c.city[i]! < CITIES.length, "city", id)
        check(c.sex[i]! < SEXES.length, "sex", id)
        check(c.age[i]! >= 18 && c.age[i]! <= 65, "age", id)
        check(c.yearsOfExperience[i]! <= Math.max(0, c.age[i]! - 12), "experience", id)
        check(c.languages[i]! >= 1 && c.languages[i]! <= 7, "languages", id)
        check(c.mainGoal[i]! < MAIN_GOALS.length, "goal", id)
        check(c.competitiveLevel[i]! < COMPETITIVE_LEVELS.length, "level", id)
        check(c.communicationStyle[i]! < COMMUNICATION_STYLES.length, "communication", id)
        check(c.sharesContact[i]! <= 1 && c.usesMicrophone[i]! <= 1, "booleans", id)
        let games = 0
        for (let w = 0; w < GAME_WORDS; w++) games += popcount(c.games[i * GAME_WORDS + w]!)
        const sizes: Array<[number, { min: number; max: number }, string]> = [
          [games, LIST_SIZES.games, "games"],
          [popcount(c.platforms[i]!), LIST_SIZES.platforms, "platforms"],
          [popcount(c.playStyles[i]!), LIST_SIZES.playStyles, "styles"],
          [popcount(c.musicGenres[i]!), LIST_SIZES.musicGenres, "music"]
        ]
        for (const [k, r, what] of sizes) check(k >= r.min && k <= r.max, `${what} size ${k}`, id)
        check(c.games[i * GAME_WORDS + GAME_WORDS - 1]! >>> 19 === 0, "game code >= 115", id)
        check(c.platforms[i]! >>> 8 === 0, "platform code >= 8", id)
        check(c.playStyles[i]! >>> 25 === 0, "style code >= 25", id)
        check(c.musicGenres[i]! >>> 19 === 0, "genre code >= 19", id)
        check(((c.platforms[i]! >>> c.primaryPlatform[i]!) & 1) === 1, "primary platform not in set", id)
      }
    }
    expect(bad).toEqual([])
  })

  it("share contact 60 % ± 1 %", () => {
    const share = profiles.filter((p) => p.sharesContact).length / N
    expect(Math.abs(share - 0.6)).toBeLessThanOrEqual(0.01)
  })

  it("have a state that always matches the city", () => {
    const cityIndex = new Map(CITIES.map((c, i) => [c, i]))
    const mismatched = profiles.filter((p) => p.state !== STATES[CITY_STATE[cityIndex.get(p.city)!]!])
    expect(mismatched).toEqual([])
    // Cities are uniform, so SP (68 of 268 cities) holds about a quarter.
    const sp = profiles.filter((p) => p.state === "SP").length / N
    expect(Math.abs(sp - 68 / 268)).toBeLessThan(0.01)
  })

  it("never repeat an item inside a list field", () => {
    let duplicates = 0
    for (const p of profiles) {
      for (const list of [p.musicGenres, p.favouriteGames, p.platforms, p.playStyles, p.languages]) {
        if (new Set(list).size !== list.length) duplicates++
      }
    }
    expect(duplicates).toBe(0)
  })

  it("have descriptions within DESCRIPTION_LENGTH_BOUNDS that quote the record", () => {
    const { min, max } = DESCRIPTION_LENGTH_BOUNDS
    expect(min).toBe(220)
    expect(max).toBe(540)
    let lo = Infinity
    let hi = 0
    const starts = new Set<string>()
    for (const p of profiles) {
      const len = p.description.length
      lo = Math.min(lo, len)
      hi = Math.max(hi, len)
      expect(p.description).toContain(p.favouriteGames[0]!)
      starts.add(p.description.slice(0, 5))
      if (!p.sharesContact) {
        expect(p.description).toMatch(/(Prefiro não compartilhar contato|Prefiro manter só no jogo inicialmente|Contato só se rolar amizade|Não compartilho contato pessoal)\.$/)
      }
    }
    expect(lo).toBeGreaterThanOrEqual(min)
    expect(hi).toBeLessThanOrEqual(max)
    // The bounds are near what 100,000 draws reach, so they describe the data, not just bound it.
    expect(lo - min).toBeLessThan(40)
    expect(max - hi).toBeLessThan(90)
    // All four templates occur ("Sou u", "Jogad", "Perfi" and T2's capitalised experience words).
    expect(["Sou u", "Jogad", "Perfi"].every((s) => starts.has(s))).toBe(true)
    expect(starts.size).toBeGreaterThan(4)
  })

  it("give first names that match the sex", () => {
    const lastNames = new Set(LAST_NAMES)
    for (const p of profiles) {
      const firsts = FIRST_NAMES_BY_SEX[SEXES.indexOf(p.sex)]!
      const first = firsts.find((f) => {
        if (!p.name.startsWith(`${f} `)) return false
        const rest = p.name.slice(f.length + 1)
        return lastNames.has(rest) || rest.split(" ").length >= 2
      })
      expect(first, p.name).toBeDefined()
    }
    // Sex-specific lists are disjoint, so a male name never appears for a female profile.
    const female = new Set(FIRST_NAMES_BY_SEX[1])
    for (const m of FIRST_NAMES_BY_SEX[0]!) expect(female.has(m)).toBe(false)
  })

  it("draw the V6 extras with their stated rules", () => {
    for (const p of profiles) {
      if (p.mainGoal !== "Competitivo" && p.mainGoal !== "Casual") expect(p.competitiveLevel).toBe(COMPETITIVE_LEVELS[NOT_RANKED])
      if (p.mainGoal === "Competitivo") expect(p.competitiveLevel).not.toBe(COMPETITIVE_LEVELS[NOT_RANKED])
    }
    const competitive = profiles.filter((p) => p.mainGoal === "Competitivo")
    const mic = competitive.filter((p) => p.usesMicrophone).length / competitive.length
    expect(Math.abs(mic - 0.8)).toBeLessThan(0.02)
    const meanYears = profiles.reduce((s, p) => s + p.yearsOfExperience, 0) / N
    expect(meanYears).toBeGreaterThan(8)
    expect(meanYears).toBeLessThan(14)
  })
})
