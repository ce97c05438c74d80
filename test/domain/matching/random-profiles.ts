/**
 * Seeded random profiles for the encoded-vs-reference tests: values drawn from the seed's lists,
 * with the seed's quirks (duplicated items, mixed case, padding) and, at a lower rate, the cases
 * the encoding must also get right: values outside the lists, blanks, missing fields, both the
 * string and the list form.
 */
import {
  type MatchProfile,
  SEED_AVAILABILITY,
  SEED_GAMES,
  SEED_INTERACTION,
  SEED_PLATFORMS,
  SEED_PLAY_STYLES
} from "../../../src/domain/matching/index.js"
import { uniformSource } from "../../../src/domain/random/index.js"

export const prng = uniformSource

const EXTRA_AVAILABILITY = ["Qualquer hora", "Dia de semana à noite", "fds", "sempre", "  ", ""]
const EXTRA_INTERACTION = ["Só presencial", "presencial", "Online", "indiferente", "Casual", "  ", "Apenas Online  "]

export const randomProfiles = (count: number, seed: number, unknownRate = 0.05): Array<MatchProfile> => {
  const rnd = prng(seed)
  const pick = <T>(xs: ReadonlyArray<T>): T => xs[Math.floor(rnd() * xs.length)] as T
  const vary = (s: string): string => {
    const r = rnd()
    if (r < 0.05) return ` ${s.toUpperCase()} `
    if (r < 0.1) return s.toLowerCase()
    return s
  }
  const list = (values: ReadonlyArray<string>, maxK: number, unknownPrefix: string): MatchProfile["games"] => {
    if (rnd() < 0.02) return rnd() < 0.5 ? undefined : ""
    const k = 1 + Math.floor(rnd() * maxK)
    const items: Array<string> = []
    for (let n = 0; n < k; n++) {
      items.push(rnd() < unknownRate ? `${unknownPrefix} ${Math.floor(rnd() * 50)}` : vary(pick(values)))
    }
    if (rnd() < 0.1) items.push(items[0] as string) // the seed's duplicated items
    return rnd() < 0.5 ? items : items.join(", ")
  }
  const scalar = (values: ReadonlyArray<string>, extra: ReadonlyArray<string>): string | null | undefined => {
    const r = rnd()
    if (r < 0.01) return null
    if (r < 0.02) return undefined
    if (r < 0.02 + unknownRate) return pick(extra)
    return vary(pick(values))
  }
  const out: Array<MatchProfile> = []
  for (let i = 0; i < count; i++) {
    out.push({
      platforms: list(SEED_PLATFORMS, 3, "Console"),
      availability: scalar(SEED_AVAILABILITY, EXTRA_AVAILABILITY),
      games: list(SEED_GAMES, 5, "Jogo"),
      styles: list(SEED_PLAY_STYLES, 4, "Estilo"),
      interaction: scalar(SEED_INTERACTION, EXTRA_INTERACTION)
    })
  }
  return out
}
