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
 */
import seedLists from "./seed-lists.json" with { type: "json" }
import { AVAILABILITIES, INTERACTIONS, MUSIC_GENRES, PLATFORMS, PLAY_STYLES } from "./vocabulary.js"

type Words = ReadonlyArray<string>

/** Python's str.capitalize: first character upper case, the rest lower case. */
export const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase()
const fill = (pattern: string, value: string): string => pattern.replace("{}", value)

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

/** TERMOS_ESTILO filled with each play style: [style code][pattern]. */
export const STYLE_TERMS: ReadonlyArray<Words> = PLAY_STYLES.map((s) => seedLists.TERMOS_ESTILO.map((p) => fill(p, s)))
/** TERMOS_MUSICA filled with each genre: [genre code][pattern]. */
export const MUSIC_TERMS: ReadonlyArray<Words> = MUSIC_GENRES.map((g) => seedLists.TERMOS_MUSICA.map((p) => fill(p, g)))
/** TERMOS_DISPONIBILIDADE filled with the availability's part before "(": [availability code][pattern]. */
export const AVAILABILITY_TERMS: ReadonlyArray<Words> = AVAILABILITIES.map((a) => {
  const head = (a.split("(")[0] ?? a).trim()
  return seedLists.TERMOS_DISPONIBILIDADE.map((p) => fill(p, head))
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
