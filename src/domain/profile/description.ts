/**
 * Descriptions: the seed's four V3 templates (seed-spec §1.3) with its word lists, including its
 * naive grammar ("Curto prefiro Sandbox"), which is part of the seed's character.
 *
 * The renderer takes a `choose` function that returns an index into a list. Generation passes the
 * PRNG (uniform choice); `DESCRIPTION_LENGTH_BOUNDS` passes "shortest" and "longest" over the union
 * of every record's options. Both go through the same template code, so the bounds are exact
 * bounds of what the renderer can produce, not a separate estimate that could drift.
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
  GOALS,
  HARDWARE,
  HUMOUR,
  INTERACTION_TERMS,
  LIKE_VERBS,
  LIKE_VERBS_CAP,
  MUSIC_TERMS,
  PATIENCE_CAP,
  PLATFORM_TERMS,
  PLAY_TIME,
  PLAY_TIME_CAP,
  PLAY_VERBS,
  PLAY_VERBS_CAP,
  STYLE_TERMS
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
  styleTerm: Words
  musicTerm: Words
  availabilityTerm: Words
  availability: Words
  interaction: Words
  interactionTerm: Words
  platformTerm: Words
  communication: Words
  communicationCap: Words
  contact: Words
}

/** How many templates there are; the template is chosen uniformly. */
export const TEMPLATE_COUNT = 4

/** One slot's value (module-level, so rendering allocates no closure per description). */
const at = (list: Words, choose: Choose): string => list[choose(list)] as string

/** Renders template `t` (0..3), drawing each slot with `choose`. */
export const renderTemplate = (t: number, o: DescriptionOptions, choose: Choose): string => {
  const adj = at(ADJECTIVES, choose)
  const contact = at(o.contact, choose)
  const game = at(o.game, choose)
  const styleTerm = at(o.styleTerm, choose)
  const musicTerm = at(o.musicTerm, choose)
  switch (t) {
    case 0: {
      const exp = at(EXPERIENCE, choose)
      const like = choose(LIKE_VERBS)
      return `Sou um(a) jogador(a) ${adj} e ${exp}. ${LIKE_VERBS_CAP[like]} ${styleTerm} e ${at(PLAY_VERBS, choose)} principalmente ${game} ${at(o.platformTerm, choose)}. Meu foco é ${at(FOCUS, choose)}. Busco ${at(GOALS, choose)} e ${LIKE_VERBS[like]} ${musicTerm} enquanto jogo. Disponível ${at(o.availabilityTerm, choose)}. Comunicação: ${at(o.communication, choose)}. Interação: ${at(o.interactionTerm, choose)}. ${contact}`
    }
    case 1:
      return `${at(EXPERIENCE_CAP, choose)}, ${adj}, e ${at(HUMOUR, choose)}. ${at(PLAY_VERBS_CAP, choose)} ${game} na plataforma ${at(o.platform, choose)} (${at(o.platformTerm, choose)}). Curto ${styleTerm} e ${at(PLAY_TIME, choose)}. Para relaxar, ${at(LIKE_VERBS, choose)} ${musicTerm}. Principal disponibilidade é ${at(o.availabilityTerm, choose)}. Prefiro interação ${at(o.interactionTerm, choose)}. ${at(o.communicationCap, choose)}. Objetivo: ${at(GOALS, choose)}. ${contact}`
    case 2:
      return `Jogador(a) ${adj} procurando diversão! ${at(LIKE_VERBS_CAP, choose)} de ${at(o.style, choose)} e passo horas em ${game}. Plataforma: ${at(o.platform, choose)}. ${at(PLAY_TIME_CAP, choose)}. ${at(o.communicationCap, choose)}. Disponibilidade: ${at(o.availability, choose)}. Aberto(a) a jogar ${at(o.interactionTerm, choose)}. Música? ${musicTerm}! Objetivo principal: ${at(GOALS, choose)}. ${contact}`
    default:
      return `Perfil: ${at(EXPERIENCE, choose)}, ${adj}. ${at(PLAY_VERBS_CAP, choose)} ${game} (${styleTerm}). ${at(LIKE_VERBS_CAP, choose)} de ${at(FOCUS, choose)}. Hardware: ${at(HARDWARE, choose)}. Som: ${musicTerm}. Horário: ${at(o.availabilityTerm, choose)}. Comunicação: ${at(o.communication, choose)}. Interação: ${at(o.interaction, choose)}. ${at(PATIENCE_CAP, choose)}. ${contact}`
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
  o.platformTerm = PLATFORM_TERMS[r.platform]!
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
  styleTerm: [],
  musicTerm: [],
  availabilityTerm: [],
  availability: [],
  interaction: [],
  interactionTerm: [],
  platformTerm: [],
  communication: [],
  communicationCap: [],
  contact: []
})

const union = (lists: ReadonlyArray<Words>): Words => [...new Set(lists.flat())]

/** Every record's options at once: the renderer over these spans all possible descriptions. */
const ALL_OPTIONS: DescriptionOptions = {
  game: GAMES,
  style: PLAY_STYLES,
  platform: PLATFORMS,
  styleTerm: union(STYLE_TERMS),
  musicTerm: union(MUSIC_TERMS),
  availabilityTerm: union(AVAILABILITY_TERMS),
  availability: AVAILABILITIES,
  interaction: INTERACTIONS,
  interactionTerm: union(INTERACTION_TERMS),
  platformTerm: union(PLATFORM_TERMS),
  communication: union(COMMUNICATION),
  communicationCap: union(COMMUNICATION_CAP),
  contact: union(CONTACT_PHRASES)
}

const extreme =
  (longest: boolean): Choose =>
  (list) => {
    let best = 0
    for (let i = 1; i < list.length; i++) {
      const d = (list[i] as string).length - (list[best] as string).length
      if (longest ? d > 0 : d < 0) best = i
    }
    return best
  }

const bounds = (): { readonly min: number; readonly max: number } => {
  let min = Infinity
  let max = 0
  for (let t = 0; t < TEMPLATE_COUNT; t++) {
    min = Math.min(min, renderTemplate(t, ALL_OPTIONS, extreme(false)).length)
    max = Math.max(max, renderTemplate(t, ALL_OPTIONS, extreme(true)).length)
  }
  return { min, max }
}

/**
 * Inclusive bounds on a description's length in UTF-16 code units (= characters here: all text is
 * in the Basic Multilingual Plane). Computed by rendering every template with the shortest and the
 * longest option of every slot. The feature vector normalises description length with these.
 */
export const DESCRIPTION_LENGTH_BOUNDS: { readonly min: number; readonly max: number } = bounds()
