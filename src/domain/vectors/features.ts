/**
 * The feature vector: FEATURE_DIM interpretable float32 features per profile, each in [0, 1].
 *
 * | pos   | feature                         | value                                             |
 * |-------|---------------------------------|---------------------------------------------------|
 * | 0     | age                             | (age - 18) / 47                                   |
 * | 1-4   | sex, one-hot                    | SEXES order: Masculino, Feminino, Não Binário, Prefiro não informar |
 * | 5     | number of music genres          | k / 4                                             |
 * | 6     | number of favourite games       | k / 5                                             |
 * | 7     | number of platforms             | k / 3 (the seed divided by 64, a bug)             |
 * | 8     | number of play styles           | k / 4                                             |
 * | 9     | shares contact                  | 0 or 1                                            |
 * | 10    | description length              | (len - min) / (max - min), DESCRIPTION_LENGTH_BOUNDS |
 * | 11    | years of experience             | years / 53 (the most age - 12 allows)             |
 * | 12    | uses microphone                 | 0 or 1                                            |
 * | 13    | number of languages             | k / 3                                             |
 * | 14-21 | platforms, multi-hot            | PLATFORMS order                                   |
 * | 22-29 | availability, one-hot           | AVAILABILITIES order                              |
 * | 30-34 | desired interaction, one-hot    | INTERACTIONS order                                |
 * | 35-38 | main goal, one-hot              | MAIN_GOALS order                                  |
 * | 39-41 | languages, multi-hot            | LANGUAGES order                                   |
 * | 42-54 | competitive level, one-hot      | COMPETITIVE_LEVELS order                          |
 * | 55-63 | communication style, one-hot    | COMMUNICATION_STYLES order                        |
 *
 * Why this layout: the seed's V3 vector encoded categories as code/n on one axis, which puts
 * "Manhã" nearer "Tarde" than "Noite" for no reason, and its V6 vector saturated those axes to a
 * constant (seed-spec §2.2). One-hot and multi-hot blocks make every distance meaningful; games,
 * styles and music enter as counts only (their 159 values would dwarf the rest; the embedding
 * carries them). 64 positions keep rows 256 bytes. No noise: features are a pure function of the row.
 */
import type { ProfileCodes } from "../profile/chunk.js"
import { DESCRIPTION_LENGTH_BOUNDS } from "../profile/description.js"
import {
  AGE_MAX,
  AGE_MIN,
  EXPERIENCE_MAX,
  GAME_WORDS,
  LANGUAGES,
  LIST_SIZES,
  PLATFORMS
} from "../profile/vocabulary.js"

/** Start position of each block (see the table above). */
export const FEATURE_LAYOUT = {
  age: 0,
  sex: 1,
  musicGenreCount: 5,
  gameCount: 6,
  platformCount: 7,
  playStyleCount: 8,
  sharesContact: 9,
  descriptionLength: 10,
  yearsOfExperience: 11,
  usesMicrophone: 12,
  languageCount: 13,
  platforms: 14,
  availability: 22,
  interaction: 30,
  mainGoal: 35,
  languages: 39,
  competitiveLevel: 42,
  communicationStyle: 55
} as const

export const FEATURE_DIM = 64

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) as number
}

/**
 * Writes chunk.count rows of FEATURE_DIM floats, contiguous, into `out` starting at 0
 * (`out.length` must be at least count * FEATURE_DIM).
 */
export const featuresInto = (chunk: ProfileCodes, out: Float32Array): void => {
  const n = chunk.count
  if (out.length < n * FEATURE_DIM) {
    throw new RangeError(`features need ${n * FEATURE_DIM} floats, the output holds ${out.length}`)
  }
  const L = FEATURE_LAYOUT
  const ageSpan = AGE_MAX - AGE_MIN
  const { min: dMin, max: dMax } = DESCRIPTION_LENGTH_BOUNDS
  const dSpan = dMax - dMin
  out.fill(0, 0, n * FEATURE_DIM)
  for (let i = 0; i < n; i++) {
    const o = i * FEATURE_DIM
    out[o + L.age] = ((chunk.age[i] as number) - AGE_MIN) / ageSpan
    out[o + L.sex + (chunk.sex[i] as number)] = 1
    out[o + L.musicGenreCount] = popcount(chunk.musicGenres[i] as number) / LIST_SIZES.musicGenres.max
    let games = 0
    for (let w = 0; w < GAME_WORDS; w++) games += popcount(chunk.games[i * GAME_WORDS + w] as number)
    out[o + L.gameCount] = games / LIST_SIZES.games.max
    const platforms = chunk.platforms[i] as number
    out[o + L.platformCount] = popcount(platforms) / LIST_SIZES.platforms.max
    out[o + L.playStyleCount] = popcount(chunk.playStyles[i] as number) / LIST_SIZES.playStyles.max
    out[o + L.sharesContact] = chunk.sharesContact[i] as number
    out[o + L.descriptionLength] = ((chunk.descriptionLength[i] as number) - dMin) / dSpan
    out[o + L.yearsOfExperience] = (chunk.yearsOfExperience[i] as number) / EXPERIENCE_MAX
    out[o + L.usesMicrophone] = chunk.usesMicrophone[i] as number
    const languages = chunk.languages[i] as number
    out[o + L.languageCount] = popcount(languages) / LANGUAGES.length
    for (let p = 0; p < PLATFORMS.length; p++) if ((platforms >>> p) & 1) out[o + L.platforms + p] = 1
    out[o + L.availability + (chunk.availability[i] as number)] = 1
    out[o + L.interaction + (chunk.interaction[i] as number)] = 1
    out[o + L.mainGoal + (chunk.mainGoal[i] as number)] = 1
    for (let l = 0; l < LANGUAGES.length; l++) if ((languages >>> l) & 1) out[o + L.languages + l] = 1
    out[o + L.competitiveLevel + (chunk.competitiveLevel[i] as number)] = 1
    out[o + L.communicationStyle + (chunk.communicationStyle[i] as number)] = 1
  }
}
