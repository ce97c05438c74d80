/**
 * generateChunk: `count` profiles with ids firstId.. from (seed, chunk) alone.
 *
 * The chunk's PRNG is `forChunk(seed, chunk)`, so the result is a pure function of the arguments:
 * the same call gives byte-identical columns and strings in any thread, process or order. Each
 * profile consumes draws in a fixed order (the code below), field by field.
 *
 * Distributions follow the seed's V3 generator (seed-spec §1.1) with its bugs fixed: list fields
 * hold distinct items (k uniform in LIST_SIZES, then k distinct codes), the state is derived from
 * the city, the first name comes from the sex's list, contact is shared with p = 0.6.
 */
import { forChunk } from "../random/seeding.js"
import type { Prng } from "../random/sfc32.js"
import { hashString } from "../random/string-hash.js"
import { allocateColumns, TEXT_KEY_SEEDS, type ProfileChunk } from "./chunk.js"
import { newOptions, optionsFor, renderTemplate, TEMPLATE_COUNT, type DescriptionInputs } from "./description.js"
import { drawCompetitiveLevel, drawYearsOfExperience, microphoneProbability } from "./experience.js"
import { isSupportedLocale, SUPPORTED_LOCALES, type Locale } from "./locale.js"
import { drawName } from "./names.js"
import {
  AGE_MAX,
  AGE_MIN,
  AVAILABILITIES,
  CITIES,
  COMMUNICATION_STYLES,
  GAME_WORDS,
  GAMES,
  INTERACTIONS,
  LIST_SIZES,
  MAIN_GOALS,
  MUSIC_GENRES,
  PLATFORMS,
  PLAY_STYLES,
  SEXES
} from "./vocabulary.js"

/** Probability that a profile shares contact (the seed's 0.6). */
export const CONTACT_SHARE = 0.6
/** Largest chunk one call accepts; bigger chunks only delay the first commit and cost memory. */
export const MAX_CHUNK_SIZE = 1 << 22

/**
 * Draws k distinct codes from [0, n) into a bitmask at words[offset..]; returns the first code.
 * Rejection on already-set bits: cheap because k is small next to n for every field.
 */
const drawSet = (rng: Prng, n: number, k: number, words: Uint32Array, offset: number): number => {
  let first = -1
  let drawn = 0
  while (drawn < k) {
    const code = rng.below(n)
    const w = offset + (code >>> 5)
    const bit = 1 << (code & 31)
    const cur = words[w] as number
    if ((cur & bit) !== 0) continue
    words[w] = cur | bit
    if (first < 0) first = code
    drawn++
  }
  return first
}

const checkArgs = (seed: number, chunk: number, firstId: number, count: number, locale: string): void => {
  const nonNegative = (what: string, x: number): void => {
    if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${x}`)
  }
  nonNegative("seed", seed)
  nonNegative("chunk", chunk)
  nonNegative("firstId", firstId)
  nonNegative("count", count)
  if (count > MAX_CHUNK_SIZE) throw new RangeError(`count ${count} exceeds the chunk limit ${MAX_CHUNK_SIZE}`)
  if (!Number.isSafeInteger(firstId + count)) throw new RangeError(`ids ${firstId}..${firstId + count} overflow`)
  if (!isSupportedLocale(locale)) {
    throw new RangeError(`unknown locale '${locale}'; supported: ${SUPPORTED_LOCALES.join(", ")}`)
  }
}

export const generateChunk = (
  seed: number,
  chunk: number,
  firstId: number,
  count: number,
  locale: Locale
): ProfileChunk => {
  checkArgs(seed, chunk, firstId, count, locale)
  const rng = forChunk(seed, chunk)
  const c = allocateColumns(count)
  const names = new Array<string>(count)
  const descriptions = new Array<string>(count)
  const options = newOptions()
  const choose = (list: ReadonlyArray<string>): number => (list.length === 1 ? 0 : rng.below(list.length))
  const inputs: { -readonly [K in keyof DescriptionInputs]: DescriptionInputs[K] } = {
    game: 0,
    style: 0,
    platform: 0,
    genre: 0,
    availability: 0,
    interaction: 0,
    sharesContact: false,
    usesMicrophone: false
  }
  const { musicGenres: music, platforms, playStyles: styles } = LIST_SIZES

  for (let i = 0; i < count; i++) {
    const age = rng.int(AGE_MIN, AGE_MAX)
    const sex = rng.below(SEXES.length)
    c.age[i] = age
    c.sex[i] = sex
    names[i] = drawName(rng, sex)
    c.city[i] = rng.below(CITIES.length)
    const genre = drawSet(rng, MUSIC_GENRES.length, rng.int(music.min, music.max), c.musicGenres, i)
    const game = drawSet(rng, GAMES.length, rng.int(LIST_SIZES.games.min, LIST_SIZES.games.max), c.games, i * GAME_WORDS)
    const platform = drawSet(rng, PLATFORMS.length, rng.int(platforms.min, platforms.max), c.platforms, i)
    const style = drawSet(rng, PLAY_STYLES.length, rng.int(styles.min, styles.max), c.playStyles, i)
    c.primaryMusicGenre[i] = genre
    c.primaryGame[i] = game
    c.primaryPlatform[i] = platform
    c.primaryPlayStyle[i] = style
    const availability = rng.below(AVAILABILITIES.length)
    const interaction = rng.below(INTERACTIONS.length)
    const shares = rng.float() < CONTACT_SHARE
    c.availability[i] = availability
    c.interaction[i] = interaction
    c.sharesContact[i] = shares ? 1 : 0

    const years = drawYearsOfExperience(rng, age)
    const goal = rng.below(MAIN_GOALS.length)
    c.yearsOfExperience[i] = years
    c.mainGoal[i] = goal
    c.competitiveLevel[i] = drawCompetitiveLevel(rng, goal, years)
    const mic = rng.float() < microphoneProbability(goal)
    c.usesMicrophone[i] = mic ? 1 : 0
    c.languages[i] = 1 + rng.below(7)
    c.communicationStyle[i] = rng.below(COMMUNICATION_STYLES.length)

    inputs.game = game
    inputs.style = style
    inputs.platform = platform
    inputs.genre = genre
    inputs.availability = availability
    inputs.interaction = interaction
    inputs.sharesContact = shares
    inputs.usesMicrophone = mic
    const description = renderTemplate(rng.below(TEMPLATE_COUNT), optionsFor(options, inputs), choose)
    descriptions[i] = description
    c.descriptionLength[i] = description.length
    const key = (names[i] as string) + description.slice(0, 10)
    c.textKey[2 * i] = hashString(key, TEXT_KEY_SEEDS[0])
    c.textKey[2 * i + 1] = hashString(key, TEXT_KEY_SEEDS[1])
  }
  return { ...c, locale, seed, chunk, firstId, count, name: names, description: descriptions }
}
