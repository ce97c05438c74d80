/**
 * Description grammar over a sample of generated profiles: the seed's broken joins ("Tenho uma queda
 * por de na competição", "costumo estar on Tarde", "Curto prefiro Sandbox") never occur, and the
 * joins description.ts documents hold. Each rule is a pattern that must not match any description.
 */
import { describe, expect, it } from "vitest"
import { DESCRIPTION_LENGTH_BOUNDS, generateChunk } from "../../../src/domain/profile/index.js"
import { joinAfter } from "../../../src/domain/profile/description-words.js"

const LIKE = "(?:adoro|curto muito|gosto de|sou fã de|me interesso por|aprecio|sou viciado\\(a\\) em|não vivo sem|prefiro|tenho uma queda por|curto)"
const CLAUSE = "(?:prefiro|sou forte em|manjo de|meu foco é|estou livre|costumo estar|meu horário)"

/** [rule, pattern that must not match]. */
const RULES: ReadonlyArray<readonly [string, RegExp]> = [
  ["no preposition before 'de' ('por de', 'de de')", /\b(?:de|por|em|sem|a) de\b/i],
  ["no preposition before a locative ('de na competição')", /\b(?:de|por|em|sem) (?:na|no|nos|nas) /],
  ["prepositions contract with articles ('do', 'pelo', 'no', 'ao')", /\b(?:de|por|em) (?:o|a|os|as) /],
  ["availability is an adverbial ('on à tarde', not 'on Tarde')", /\b(?:on|geralmente|mais|sempre|jogar|livre|é) (?:Manhã|Tarde|Noite|Madrugada|Fim de Semana|Durante a Semana|Horários Variados)\b/],
  ["a like verb never takes a clause ('Curto prefiro')", new RegExp(`\\b${LIKE} ${CLAUSE}\\b`, "i")],
  ["'Disponível' / 'é' never take a clause", new RegExp(`\\b(?:Disponível|disponibilidade é) ${CLAUSE}`, "i")],
  ["no comma before 'e' in a list", /, e /],
  ["'principalmente' at most once a sentence, never after a preposition", /principalmente[^.]*principalmente|\b(?:com|em|por|a) principalmente\b/],
  ["offline interaction nouns take 'em'", /\b(?:interação|jogar) (?:encontros|eventos locais)\b/],
  ["durations take 'há' ('e alguns meses')", /\b(?:e|\.) (?:alguns meses|mais de uma década|desde a infância)\b|^(?:Alguns meses|Mais de uma década|Desde a infância)\b|\. (?:Alguns meses|Mais de uma década|Desde a infância)\b/],
  ["'um' agrees with feminine genres", /\bum (?:MPB|Clássica|Eletrônica|Trilha Sonora)/],
  ["a sentence starts with a capital letter", /[.!?] [a-zà-ú]/],
  ["no doubled spaces or empty slots", /\s{2}|\(\)|\s[.,]/]
]

describe("description grammar", () => {
  const descriptions = Array.from({ length: 4 }, (_, k) => generateChunk(2026, k, k * 5000, 5000, "pt_BR").description).flat()

  it.each(RULES)("%s", (_rule, pattern) => {
    const broken = descriptions.filter((d) => pattern.test(d))
    expect(broken.slice(0, 3)).toEqual([])
  })

  it("renders the joins the issue named correctly", () => {
    const text = descriptions.join("\n")
    expect(text).toMatch(/Tenho uma queda por (?:gameplay|história|gráficos|comunidade|imersão|competição|cooperação|criatividade)\./)
    expect(text).toMatch(/costumo estar on (?:à tarde|à noite|de manhã|de madrugada|no fim de semana|durante a semana|em horários variados)/i)
    expect(text).toMatch(/Gosto do gênero |Me interesso pelo gênero |Sou viciado\(a\) no gênero /)
    expect(text).toMatch(/curto muito ouvir |gosto do ritmo de /i)
  })

  it("keeps descriptions within DESCRIPTION_LENGTH_BOUNDS", () => {
    for (const d of descriptions) {
      expect(d.length).toBeGreaterThanOrEqual(DESCRIPTION_LENGTH_BOUNDS.min)
      expect(d.length).toBeLessThanOrEqual(DESCRIPTION_LENGTH_BOUNDS.max)
    }
  })
})

describe("joinAfter", () => {
  it.each([
    ["gosto de", "o gênero RPG", "gosto do gênero RPG"],
    ["me interesso por", "a vibe de RPG", "me interesso pela vibe de RPG"],
    ["sou viciado(a) em", "o ritmo de Rock", "sou viciado(a) no ritmo de Rock"],
    ["me dedico a", "o gênero RPG", "me dedico ao gênero RPG"],
    ["adoro", "o gênero RPG", "adoro o gênero RPG"],
    ["não vivo sem", "o ritmo de Rock", "não vivo sem o ritmo de Rock"],
    ["sou fã de", "uma boa playlist de Pop", "sou fã de uma boa playlist de Pop"]
  ])("%s + %s", (verb, term, joined) => {
    expect(joinAfter(verb, term)).toBe(joined)
  })
})
