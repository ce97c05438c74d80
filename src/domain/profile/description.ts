/**
 * Descriptions: the seed's four V3 templates (seed-spec §1.3) with its word lists, joined so that
 * every description is grammatical pt-BR. The seed's output had broken joins ("Curto prefiro
 * Sandbox", "Tenho uma queda por de na competição", "costumo estar on Tarde"); the word lists and
 * the templates' sentences are the seed's, and only the joins differ (description-words.ts):
 * - T1 "{Gosto} {estilo} e {jogo} principalmente {X}": the like verb's preposition contracts with
 *   the term's article ("Gosto do gênero RPG"); a style term that is a clause ("prefiro RPG") stands
 *   in for the verb; "principalmente" goes before a trailing preposition ("me divirto
 *   principalmente com X", and the platform term drops its own "principalmente"); "Meu foco está
 *   na gameplay"; "Disponível geralmente à tarde", or the availability clause alone ("Costumo estar
 *   on à tarde.").
 * - T2: "{Exp}, {adj} e {humor}" (no comma before "e"; "gosto de zoar" is its own sentence);
 *   "Curto {estilo} há alguns meses" (durations take "há"); "Principal disponibilidade: {X}";
 *   "Prefiro interação em encontros".
 * - T3: "{Gosto de} {estilo}" (the verb's own preposition, no extra "de"); "Jogo há alguns meses.";
 *   "Aberto(a) a jogar em eventos locais"; "Música? Ouvir Rock!".
 * - T4: "{Tenho uma queda por} {competição}" (FOCO_JOGO without its "na").
 *
 * The renderer takes a `choose` function that returns an index into a list. Generation passes the
 * PRNG (uniform choice; only a list's length matters, so the draws are the seed-port's draws);
 * `DESCRIPTION_LENGTH_BOUNDS` passes "shortest" and "longest" over the union of every record's
 * options, and enumerates the slots whose joins depend on each other (the like verb with the style
 * and music terms). Both go through the same template code, so the bounds are exact bounds of what
 * the renderer can produce, not a separate estimate that could drift.
 */
import {
  ADJECTIVES,
  AVAILABILITY_TERMS,
  COMMUNICATION,
  COMMUNICATION_CAP,
  CONTACT_PHRASES,
  EXPERIENCE,
  EXPERIENCE_CAP,
  FOCUS,
  FOCUS_OBJECTS,
  GOALS,
  HARDWARE,
  HUMOUR_JOIN,
  INTERACTION_ADVERBIALS,
  INTERACTION_TERMS,
  LIKE_VERBS,
  LIKE_VERBS_CAP,
  MUSIC_TERMS,
  PATIENCE_CAP,
  PLATFORM_TERMS,
  PLATFORM_TERMS_AFTER_MAINLY,
  PLAY_TIME_JOIN,
  PLAY_TIME_SENTENCE,
  PLAY_VERBS_CAP,
  PLAY_VERBS_MAINLY,
  STYLE_TERMS,
  type AvailabilityForms,
  type PhraseForms
} from "./description-words.js"
import { AVAILABILITIES, GAMES, INTERACTIONS, PLATFORMS, PLAY_STYLES } from "./vocabulary.js"

type Words = ReadonlyArray<string>

/** Returns an index into `list` (a uniform draw when generating). */
export type Choose = (list: Words) => number

/** The record-dependent option lists of one description (singletons for the record's own values). */
export interface DescriptionOptions {
  game: Words
  style: Words
  platform: Words
  styleTerm: PhraseForms
  musicTerm: PhraseForms
  availabilityTerm: AvailabilityForms
  availability: Words
  interaction: Words
  interactionTerm: Words
  interactionAdverbial: Words
  platformTerm: Words
  platformTermAfterMainly: Words
  communication: Words
  communicationCap: Words
  contact: Words
}

/** How many templates there are; the template is chosen uniformly. */
export const TEMPLATE_COUNT = 4

/** One slot's value (module-level, so rendering allocates no closure per description). */
const at = (list: Words, choose: Choose): string => list[choose(list)] as string

/**
 * Renders template `t` (0..3), drawing each slot with `choose`. The draws (their order and list
 * lengths) are those of the seed port before the grammar fix, so only the text changes.
 */
export const renderTemplate = (t: number, o: DescriptionOptions, choose: Choose): string => {
  const adj = at(ADJECTIVES, choose)
  const contact = at(o.contact, choose)
  const game = at(o.game, choose)
  const style = choose(o.styleTerm.raw)
  const music = choose(o.musicTerm.raw)
  switch (t) {
    case 0: {
      const exp = at(EXPERIENCE, choose)
      const like = choose(LIKE_VERBS)
      return `Sou um(a) jogador(a) ${adj} e ${exp}. ${o.styleTerm.afterLikeCap[like]![style]} e ${at(PLAY_VERBS_MAINLY, choose)} ${game} ${at(o.platformTermAfterMainly, choose)}. Meu foco está ${at(FOCUS, choose)}. Busco ${at(GOALS, choose)} e ${o.musicTerm.afterLike[like]![music]} enquanto jogo. ${at(o.availabilityTerm.sentence, choose)}. Comunicação: ${at(o.communication, choose)}. Interação: ${at(o.interactionTerm, choose)}. ${contact}`
    }
    case 1: {
      const exp = at(EXPERIENCE_CAP, choose)
      const humour = at(HUMOUR_JOIN, choose)
      const play = at(PLAY_VERBS_CAP, choose)
      const platform = at(o.platform, choose)
      const platformTerm = at(o.platformTerm, choose)
      const time = at(PLAY_TIME_JOIN, choose)
      const like = choose(LIKE_VERBS)
      return `${exp}, ${adj}${humour}. ${play} ${game} na plataforma ${platform} (${platformTerm}). ${o.styleTerm.lead[style]}${time}. Para relaxar, ${o.musicTerm.afterLike[like]![music]}. Principal disponibilidade: ${at(o.availabilityTerm.raw, choose)}. Prefiro interação ${at(o.interactionAdverbial, choose)}. ${at(o.communicationCap, choose)}. Objetivo: ${at(GOALS, choose)}. ${contact}`
    }
    case 2:
      return `Jogador(a) ${adj} procurando diversão! ${at(LIKE_VERBS_CAP, choose)} ${at(o.style, choose)} e passo horas em ${game}. Plataforma: ${at(o.platform, choose)}. ${at(PLAY_TIME_SENTENCE, choose)}. ${at(o.communicationCap, choose)}. Disponibilidade: ${at(o.availability, choose)}. Aberto(a) a jogar ${at(o.interactionAdverbial, choose)}. Música? ${o.musicTerm.lead[music]}! Objetivo principal: ${at(GOALS, choose)}. ${contact}`
    default:
      return `Perfil: ${at(EXPERIENCE, choose)}, ${adj}. ${at(PLAY_VERBS_CAP, choose)} ${game} (${o.styleTerm.raw[style]}). ${at(LIKE_VERBS_CAP, choose)} ${at(FOCUS_OBJECTS, choose)}. Hardware: ${at(HARDWARE, choose)}. Som: ${o.musicTerm.raw[music]}. Horário: ${at(o.availabilityTerm.raw, choose)}. Comunicação: ${at(o.communication, choose)}. Interação: ${at(o.interaction, choose)}. ${at(PATIENCE_CAP, choose)}. ${contact}`
  }
}

/** The record fields a description quotes (codes; see vocabulary.ts). */
export interface DescriptionInputs {
  readonly game: number
  readonly style: number
  readonly platform: number
  readonly genre: number
  readonly availability: number
  readonly interaction: number
  readonly sharesContact: boolean
  readonly usesMicrophone: boolean
}

const singletons = (list: Words): ReadonlyArray<Words> => list.map((x) => [x])
const GAME_1 = singletons(GAMES)
const STYLE_1 = singletons(PLAY_STYLES)
const PLATFORM_1 = singletons(PLATFORMS)
const AVAILABILITY_1 = singletons(AVAILABILITIES)
const INTERACTION_1 = singletons(INTERACTIONS)

/** Fills a reusable options object for one record (no allocation per row). */
export const optionsFor = (o: DescriptionOptions, r: DescriptionInputs): DescriptionOptions => {
  const mic = r.usesMicrophone ? 1 : 0
  o.game = GAME_1[r.game]!
  o.style = STYLE_1[r.style]!
  o.platform = PLATFORM_1[r.platform]!
  o.styleTerm = STYLE_TERMS[r.style]!
  o.musicTerm = MUSIC_TERMS[r.genre]!
  o.availabilityTerm = AVAILABILITY_TERMS[r.availability]!
  o.availability = AVAILABILITY_1[r.availability]!
  o.interaction = INTERACTION_1[r.interaction]!
  o.interactionTerm = INTERACTION_TERMS[r.interaction]!
  o.interactionAdverbial = INTERACTION_ADVERBIALS[r.interaction]!
  o.platformTerm = PLATFORM_TERMS[r.platform]!
  o.platformTermAfterMainly = PLATFORM_TERMS_AFTER_MAINLY[r.platform]!
  o.communication = COMMUNICATION[mic]!
  o.communicationCap = COMMUNICATION_CAP[mic]!
  o.contact = CONTACT_PHRASES[r.sharesContact ? 1 : 0]!
  return o
}

/** A blank options object to pass to `optionsFor`. */
export const newOptions = (): DescriptionOptions => ({
  game: [],
  style: [],
  platform: [],
  styleTerm: STYLE_TERMS[0]!,
  musicTerm: MUSIC_TERMS[0]!,
  availabilityTerm: AVAILABILITY_TERMS[0]!,
  availability: [],
  interaction: [],
  interactionTerm: [],
  interactionAdverbial: [],
  platformTerm: [],
  platformTermAfterMainly: [],
  communication: [],
  communicationCap: [],
  contact: []
})

const union = (lists: ReadonlyArray<Words>): Words => [...new Set(lists.flat())]

const pickBy = (longest: boolean, strings: Words): string =>
  strings.reduce((best, x) => ((longest ? x.length > best.length : x.length < best.length) ? x : best))
/** Entry by entry, the shortest (or longest) of each parallel list over `lists`. */
const extremeEach = (longest: boolean, lists: ReadonlyArray<Words>): Words =>
  lists[0]!.map((_, i) => pickBy(longest, lists.map((l) => l[i] as string)))
const extremeForms = (longest: boolean, forms: ReadonlyArray<PhraseForms>): PhraseForms => ({
  raw: extremeEach(longest, forms.map((f) => f.raw)),
  afterLikeCap: LIKE_VERBS.map((_, v) => extremeEach(longest, forms.map((f) => f.afterLikeCap[v]!))),
  afterLike: LIKE_VERBS.map((_, v) => extremeEach(longest, forms.map((f) => f.afterLike[v]!))),
  lead: extremeEach(longest, forms.map((f) => f.lead))
})

/**
 * Every record's options at once: the renderer over these spans all possible descriptions. Each
 * template uses one form of the style and music terms once, so taking each entry's extreme over
 * all codes bounds exactly.
 */
const allOptions = (longest: boolean): DescriptionOptions => ({
  game: GAMES,
  style: PLAY_STYLES,
  platform: PLATFORMS,
  styleTerm: extremeForms(longest, STYLE_TERMS),
  musicTerm: extremeForms(longest, MUSIC_TERMS),
  availabilityTerm: {
    raw: union(AVAILABILITY_TERMS.map((a) => a.raw)),
    sentence: union(AVAILABILITY_TERMS.map((a) => a.sentence))
  },
  availability: AVAILABILITIES,
  interaction: INTERACTIONS,
  interactionTerm: union(INTERACTION_TERMS),
  interactionAdverbial: union(INTERACTION_ADVERBIALS),
  platformTerm: union(PLATFORM_TERMS),
  platformTermAfterMainly: union(PLATFORM_TERMS_AFTER_MAINLY),
  communication: union(COMMUNICATION),
  communicationCap: union(COMMUNICATION_CAP),
  contact: union(CONTACT_PHRASES)
})

const extreme = (longest: boolean, list: Words): number => {
  let best = 0
  for (let i = 1; i < list.length; i++) {
    const d = (list[i] as string).length - (list[best] as string).length
    if (longest ? d > 0 : d < 0) best = i
  }
  return best
}

/**
 * The shortest (or longest) rendering of template `t`: independent slots take their extreme
 * option; the like verb and the style and music term indices, whose joins depend on each other,
 * are enumerated (an odometer over those draws, at most 10 × 8 × 8 renderings).
 */
const extremeLength = (t: number, longest: boolean): number => {
  const o = allOptions(longest)
  const coupled: ReadonlySet<Words> = new Set([LIKE_VERBS, o.styleTerm.raw, o.musicTerm.raw])
  const digits: Array<number> = []
  const sizes: Array<number> = []
  let best = longest ? 0 : Infinity
  for (;;) {
    let k = 0
    const choose: Choose = (list) => {
      if (!coupled.has(list)) return extreme(longest, list)
      sizes[k] = list.length
      const d = digits[k] ?? 0
      digits[k++] = d
      return d
    }
    const len = renderTemplate(t, o, choose).length
    best = longest ? Math.max(best, len) : Math.min(best, len)
    let j = k - 1
    while (j >= 0 && digits[j]! + 1 >= sizes[j]!) digits[j--] = 0
    if (j < 0) return best
    digits[j] = digits[j]! + 1
  }
}

const bounds = (): { readonly min: number; readonly max: number } => {
  let min = Infinity
  let max = 0
  for (let t = 0; t < TEMPLATE_COUNT; t++) {
    min = Math.min(min, extremeLength(t, false))
    max = Math.max(max, extremeLength(t, true))
  }
  return { min, max }
}

/**
 * Inclusive bounds on a description's length in UTF-16 code units (= characters here: all text is
 * in the Basic Multilingual Plane). Computed by rendering every template with the shortest and the
 * longest option of every independent slot, over every combination of the coupled ones. The feature vector normalises description length with these.
 */
export const DESCRIPTION_LENGTH_BOUNDS: { readonly min: number; readonly max: number } = bounds()
