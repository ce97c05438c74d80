/**
 * The word lists of the seed's V3 description generator (seed-spec §1.3), precomputed into the
 * per-code tables the renderer indexes: patterns already filled with each style, genre and
 * availability, capitalised variants (Python's `str.capitalize`), and the phrase families chosen
 * by the record's fields.
 *
 * Consistency fixes over the seed (§1.4 lists these as unenforced):
 * - the platform phrase agrees with the primary platform (the seed could write
 *   "na plataforma PlayStation 4 (geralmente no computador)");
 * - contact phrases agree with `sharesContact` (the seed could pick a refusal for a sharer);
 * - "uso microfone" is only said by people who use one (V6 field `usesMicrophone`).
 *
 * Grammar fixes over the seed (the word lists are the seed's; only how phrases join changes, see
 * `description.ts` for the joins per template): `joinAfter` contracts a trailing preposition with a
 * following article ("gosto de" + "o ritmo" → "gosto do ritmo", "por o" → "pelo", "em o" → "no",
 * "a o" → "ao") and lets a term that is itself a clause ("prefiro RPG") stand in for the verb that
 * would take it; availability heads become adverbials ("Tarde" → "à tarde"); offline interaction
 * nouns take "em" where an adverbial is needed ("em encontros"); "curtir um" agrees with the genre.
 */
import seedLists from "./seed-lists.json" with { type: "json" }
import { AVAILABILITIES, INTERACTIONS, MUSIC_GENRES, PLATFORMS, PLAY_STYLES } from "./vocabulary.js"

type Words = ReadonlyArray<string>

/** Python's str.capitalize: first character upper case, the rest lower case. */
export const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase()
const fill = (pattern: string, value: string): string => pattern.replace("{}", value)
/** First character upper case, the rest untouched (for phrases that quote proper names such as "RPG"). */
export const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

/** Contractions of a preposition with a definite article (pt-BR). */
const CONTRACTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  de: { o: "do", a: "da", os: "dos", as: "das" },
  por: { o: "pelo", a: "pela", os: "pelos", as: "pelas" },
  em: { o: "no", a: "na", os: "nos", as: "nas" },
  a: { o: "ao", a: "à", os: "aos", as: "às" }
}

/**
 * `verb term`, contracting the verb's trailing preposition with the term's leading article
 * ("sou fã de" + "o gênero RPG" → "sou fã do gênero RPG").
 */
export const joinAfter = (verb: string, term: string): string => {
  const space = verb.lastIndexOf(" ")
  const prep = verb.slice(space + 1)
  const articleEnd = term.indexOf(" ")
  const contracted = CONTRACTIONS[prep]?.[term.slice(0, articleEnd)]
  return contracted === undefined
    ? `${verb} ${term}`
    : `${verb.slice(0, space + 1)}${contracted}${term.slice(articleEnd)}`
}

export const ADJECTIVES: Words = [...seedLists.ADJETIVOS_POSITIVOS, ...seedLists.ADJETIVOS_CASUAIS]
export const EXPERIENCE: Words = seedLists.ADJETIVOS_EXPERIENCIA
export const EXPERIENCE_CAP: Words = EXPERIENCE.map(capitalize)
export const LIKE_VERBS: Words = seedLists.VERBOS_GOSTAR
export const LIKE_VERBS_CAP: Words = LIKE_VERBS.map(capitalize)
export const PLAY_VERBS: Words = seedLists.VERBOS_JOGAR
export const PLAY_VERBS_CAP: Words = PLAY_VERBS.map(capitalize)
export const FOCUS: Words = seedLists.FOCO_JOGO
export const GOALS: Words = seedLists.OBJETIVOS_JOGO
export const HUMOUR: Words = seedLists.HUMOR
export const PLAY_TIME: Words = seedLists.TEMPO_JOGO
export const PLAY_TIME_CAP: Words = PLAY_TIME.map(capitalize)
export const HARDWARE: Words = seedLists.HARDWARE
export const PATIENCE_CAP: Words = seedLists.PACIENCIA.map(capitalize)

/** COMUNICACAO for [no microphone, microphone]: only microphone users say "uso microfone". */
const COMMUNICATION_ALL: Words = seedLists.COMUNICACAO
export const COMMUNICATION: ReadonlyArray<Words> = [
  COMMUNICATION_ALL.filter((c) => c !== "uso microfone"),
  COMMUNICATION_ALL
]
export const COMMUNICATION_CAP: ReadonlyArray<Words> = COMMUNICATION.map((l) => l.map(capitalize))

/**
 * TERMOS_ESTILO patterns that are clauses with their own verb ("prefiro {}"): after a like verb
 * they stand in for it ("Prefiro RPG", not "Adoro prefiro RPG"). "adoro a vibe de {}" is the verb
 * "adoro" with the noun phrase "a vibe de {}", which another verb takes as its object.
 */
const STYLE_CLAUSES: ReadonlySet<string> = new Set(["prefiro {}", "sou forte em {}", "manjo de {}", "meu foco é {}"])
const VIBE = "adoro a vibe de {}"

/** One filled style term after `verb` (lower case): the verb's object, or the clause itself. */
const styleAfter = (verb: string, pattern: string, style: string): string =>
  STYLE_CLAUSES.has(pattern)
    ? fill(pattern, style)
    : pattern === VIBE
      ? joinAfter(verb, fill(pattern.slice("adoro ".length), style))
      : joinAfter(verb, fill(pattern, style))

/** The phrase forms of one code's filled patterns, parallel to the seed's pattern list. */
export interface PhraseForms {
  /** The seed's filled patterns (quoted as they are after a colon or in parentheses). */
  readonly raw: Words
  /** After each like verb (LIKE_VERBS index), sentence-initial: [verb][pattern]. */
  readonly afterLikeCap: ReadonlyArray<Words>
  /** After each like verb (LIKE_VERBS index), mid-sentence: [verb][pattern]. */
  readonly afterLike: ReadonlyArray<Words>
  /** T2's "Curto {}" (style) or T3's "Música? {}!" (music), sentence-initial. */
  readonly lead: Words
}

/** TERMOS_ESTILO filled with each play style: [style code]. */
export const STYLE_TERMS: ReadonlyArray<PhraseForms> = PLAY_STYLES.map((s) => {
  const patterns = seedLists.TERMOS_ESTILO
  return {
    raw: patterns.map((p) => fill(p, s)),
    afterLikeCap: LIKE_VERBS.map((v) => patterns.map((p) => upperFirst(styleAfter(v, p, s)))),
    afterLike: LIKE_VERBS.map((v) => patterns.map((p) => styleAfter(v, p, s))),
    lead: patterns.map((p) => upperFirst(styleAfter("curto", p, s)))
  }
})

/** Feminine genres: "curtir uma MPB", not "curtir um MPB". */
const FEMININE_GENRES: ReadonlySet<string> = new Set(["Eletrônica (EDM)", "MPB", "Clássica", "Trilha Sonora (Games/Filmes)"])
const fillGenre = (pattern: string, genre: string): string =>
  fill(FEMININE_GENRES.has(genre) ? pattern.replace("curtir um {}", "curtir uma {}") : pattern, genre)

/** TERMOS_MUSICA filled with each genre: [genre code]. */
export const MUSIC_TERMS: ReadonlyArray<PhraseForms> = MUSIC_GENRES.map((g) => {
  const raw = seedLists.TERMOS_MUSICA.map((p) => fillGenre(p, g))
  return {
    raw,
    afterLikeCap: LIKE_VERBS.map((v) => raw.map((t) => upperFirst(joinAfter(v, t)))),
    afterLike: LIKE_VERBS.map((v) => raw.map((t) => joinAfter(v, t))),
    lead: raw.map(upperFirst)
  }
})

/** Availability heads (the part before "(") as adverbials: "costumo estar on à tarde". */
const AVAILABILITY_ADVERBIALS: Readonly<Record<string, string>> = {
  "Manhã": "de manhã",
  "Tarde": "à tarde",
  "Noite": "à noite",
  "Madrugada": "de madrugada",
  "Fim de Semana": "no fim de semana",
  "Durante a Semana": "durante a semana",
  "Horários Variados": "em horários variados"
}
/** TERMOS_DISPONIBILIDADE patterns that are adverbials ("geralmente {}"); the others are clauses. */
const AVAILABILITY_ADVERBS: ReadonlySet<string> = new Set(["geralmente {}", "mais {}", "quase sempre {}"])

/** The forms of one availability's filled patterns, parallel to TERMOS_DISPONIBILIDADE. */
export interface AvailabilityForms {
  /** The filled patterns ("costumo estar on à tarde"), quoted after a colon. */
  readonly raw: Words
  /** T1's sentence: "Disponível geralmente à tarde" for adverbials, the clause itself otherwise. */
  readonly sentence: Words
}

/** TERMOS_DISPONIBILIDADE filled with the availability's adverbial: [availability code]. */
export const AVAILABILITY_TERMS: ReadonlyArray<AvailabilityForms> = AVAILABILITIES.map((a) => {
  const head = (a.split("(")[0] ?? a).trim()
  const adverbial = AVAILABILITY_ADVERBIALS[head] ?? head.toLowerCase()
  const patterns = seedLists.TERMOS_DISPONIBILIDADE
  return {
    raw: patterns.map((p) => fill(p, adverbial)),
    sentence: patterns.map((p) =>
      AVAILABILITY_ADVERBS.has(p) ? `Disponível ${fill(p, adverbial)}` : upperFirst(fill(p, adverbial))
    )
  }
})

/** TEMPO_JOGO after "Curto {style}" (T2): clauses join with "e", durations take "há". */
const playTimeAfter = (t: string): string =>
  t === "desde a infância" ? ` ${t}` : t === "alguns meses" || t === "mais de uma década" ? ` há ${t}` : ` e ${t}`
/** T2's tail after the style: " e comecei recentemente", " há alguns meses", " desde a infância". */
export const PLAY_TIME_JOIN: Words = seedLists.TEMPO_JOGO.map(playTimeAfter)
/** T3's sentence: clauses as they are, durations and "desde a infância" after "Jogo". */
export const PLAY_TIME_SENTENCE: Words = seedLists.TEMPO_JOGO.map((t) =>
  playTimeAfter(t).startsWith(" e ") ? capitalize(t) : `Jogo${playTimeAfter(t)}`
)

/** FOCO_JOGO ("na competição") as a like verb's object: "Tenho uma queda por competição". */
export const FOCUS_OBJECTS: Words = seedLists.FOCO_JOGO.map((f) => f.slice(f.indexOf(" ") + 1))

/** HUMOR after "{Exp}, {adj}" (T2): adjectives join with "e", the clause "gosto de zoar" is a sentence. */
export const HUMOUR_JOIN: Words = seedLists.HUMOR.map((h) => (h === "gosto de zoar" ? `. ${capitalize(h)}` : ` e ${h}`))

/** VERBOS_JOGAR with "principalmente" before a trailing preposition: "me divirto principalmente com". */
export const PLAY_VERBS_MAINLY: Words = PLAY_VERBS.map((v) => {
  const space = v.lastIndexOf(" ")
  const last = v.slice(space + 1)
  return space > 0 && (last === "com" || last === "em" || last === "por" || last === "a")
    ? `${v.slice(0, space)} principalmente ${last}`
    : `${v} principalmente`
})
/**
 * Interaction phrases per interaction code: online phrases when the value says "Online"
 * (case-sensitive, as the seed), otherwise offline and online phrases.
 */
export const INTERACTION_TERMS: ReadonlyArray<Words> = INTERACTIONS.map((i) =>
  i.includes("Online")
    ? seedLists.TERMOS_INTERACAO_ONLINE
    : [...seedLists.TERMOS_INTERACAO_OFFLINE, ...seedLists.TERMOS_INTERACAO_ONLINE]
)
/** INTERACTION_TERMS as adverbials ("Prefiro interação em encontros"), parallel to it. */
export const INTERACTION_ADVERBIALS: ReadonlyArray<Words> = INTERACTION_TERMS.map((l) =>
  l.map((t) => (t === "encontros" || t === "eventos locais" ? `em ${t}` : t))
)

/** The seed's phrase when a person does not share contact. */
export const NO_CONTACT = "Prefiro não compartilhar contato."
const openings: Words = seedLists.ABERTURA_CONTATO
/** Contact phrases for [does not share, shares]: ABERTURA_CONTATO split into refusals and offers. */
export const CONTACT_PHRASES: ReadonlyArray<Words> = [
  [NO_CONTACT, ...openings.slice(3)],
  openings.slice(0, 3)
]

/** TERMOS_PLATAFORMA phrases that fit each platform code (PLATFORMS order), plus the generic ones. */
const platformPhrase = (platform: string): Words => {
  const generic = ["em várias plataformas", "onde der"]
  if (platform === "PC") return ["no PC", "geralmente no computador", ...generic]
  if (platform.startsWith("PlayStation")) return ["no meu Playstation", "principalmente no console", ...generic]
  if (platform.startsWith("Xbox")) return ["no Xbox", "principalmente no console", ...generic]
  if (platform === "Nintendo Switch") return ["no Switch", "principalmente no console", ...generic]
  if (platform.startsWith("Mobile")) return ["no mobile", ...generic]
  if (platform === "Steam Deck") return ["no Steam Deck", ...generic]
  return generic
}
export const PLATFORM_TERMS: ReadonlyArray<Words> = PLATFORMS.map(platformPhrase)
/**
 * PLATFORM_TERMS after T1's "principalmente {jogo}": without their own "principalmente", so that
 * "exploro principalmente Palworld no console" does not say it twice. Parallel to PLATFORM_TERMS.
 */
export const PLATFORM_TERMS_AFTER_MAINLY: ReadonlyArray<Words> = PLATFORM_TERMS.map((l) =>
  l.map((t) => t.replace(/^principalmente /, ""))
)
