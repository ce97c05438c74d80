import { describe, expect, it } from "vitest"
import {
  encodeProfiles,
  encodeSeedCodes,
  type MatchProfile,
  SEED_AVAILABILITY,
  SEED_GAMES,
  SEED_INTERACTION,
  SEED_PLATFORMS,
  SEED_PLAY_STYLES,
  type SeedCodedColumns,
  topMatchesEncoded
} from "../../../src/domain/matching/index.js"
import { prng } from "./random-profiles.js"

/** Random seed-coded columns and the same profiles decoded to strings, as the generator would. */
const randomColumns = (count: number, seed: number): { columns: SeedCodedColumns; profiles: Array<MatchProfile> } => {
  const rnd = prng(seed)
  const platforms = new Uint32Array(count)
  const games = new Uint32Array(count * 4)
  const styles = new Uint32Array(count)
  const availability = new Uint8Array(count)
  const interaction = new Uint8Array(count)
  const profiles: Array<MatchProfile> = []
  const draw = (values: ReadonlyArray<string>, maxK: number, bits: Uint32Array, base: number): Array<string> => {
    const items: Array<string> = []
    for (let n = 1 + Math.floor(rnd() * maxK); n > 0; n--) {
      const code = Math.floor(rnd() * values.length)
      bits[base + (code >>> 5)] = (bits[base + (code >>> 5)] as number) | (1 << (code & 31))
      items.push(values[code] as string)
    }
    return items
  }
  for (let row = 0; row < count; row++) {
    availability[row] = Math.floor(rnd() * SEED_AVAILABILITY.length)
    interaction[row] = Math.floor(rnd() * SEED_INTERACTION.length)
    profiles.push({
      platforms: draw(SEED_PLATFORMS, 3, platforms, row),
      games: draw(SEED_GAMES, 5, games, row * 4).join(", "),
      styles: draw(SEED_PLAY_STYLES, 4, styles, row),
      availability: SEED_AVAILABILITY[availability[row] as number],
      interaction: SEED_INTERACTION[interaction[row] as number]
    })
  }
  return { columns: { count, platforms, games, styles, availability, interaction }, profiles }
}

describe("encodeSeedCodes", () => {
  it("gives the same encoding as encodeProfiles of the decoded profiles", () => {
    const { columns, profiles } = randomColumns(2000, 5)
    const fromCodes = encodeSeedCodes(columns)
    expect(fromCodes).toEqual(encodeProfiles(profiles))
    expect(topMatchesEncoded(fromCodes, 123)).toEqual(topMatchesEncoded(encodeProfiles(profiles), 123))
  })

  it("rejects bits beyond the lists, codes out of range and wrong lengths", () => {
    const { columns } = randomColumns(10, 6)
    const bad = (patch: Partial<SeedCodedColumns>) => () => encodeSeedCodes({ ...columns, ...patch })
    expect(bad({ platforms: Uint32Array.from(columns.platforms, (w, k) => (k === 3 ? w | (1 << 8) : w)) })).toThrow(
      /platforms: row 3 has bits beyond/
    )
    expect(bad({ games: Uint32Array.from(columns.games, (w, k) => (k === 7 ? w | (1 << 31) : w)) })).toThrow(/games: row 1/)
    expect(bad({ availability: Uint8Array.from(columns.availability, (c, k) => (k === 2 ? 8 : c)) })).toThrow(
      /availability: row 2 has code 8/
    )
    expect(bad({ interaction: new Uint8Array(9) })).toThrow(/interaction: expected 10 codes/)
    expect(bad({ styles: new Uint32Array(11) })).toThrow(/styles: expected 10 words/)
  })
})
