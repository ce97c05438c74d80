/**
 * Profile: one decoded record, with English identifiers and the seed's pt-BR values.
 *
 * The Schema is for boundaries (rows read back from SQLite, JSON for the dashboard, messages):
 * it checks every value against its vocabulary, ranges and the invariants the generator promises
 * (state matches city, lists without duplicates). Inside the pipeline profiles travel as
 * ProfileChunk columns; `profileAt` decodes one row when a record object is wanted.
 */
import { Schema } from "effect"
import type { ProfileChunk } from "./chunk.js"
import {
  AGE_MAX,
  AGE_MIN,
  AVAILABILITIES,
  CITIES,
  CITY_STATE,
  COMMUNICATION_STYLES,
  COMPETITIVE_LEVELS,
  EXPERIENCE_MAX,
  GAME_WORDS,
  GAMES,
  INTERACTIONS,
  LANGUAGES,
  LIST_SIZES,
  MAIN_GOALS,
  maskItems,
  MUSIC_GENRES,
  PLATFORMS,
  PLAY_STYLES,
  SEXES,
  STATES
} from "./vocabulary.js"

const oneOf = (values: ReadonlyArray<string>) => Schema.Literal(...(values as [string, ...string[]]))

const distinctList = (values: ReadonlyArray<string>, size: { readonly min: number; readonly max: number }) =>
  Schema.Array(oneOf(values)).pipe(
    Schema.filter((xs) => new Set(xs).size === xs.length || "list items must be distinct"),
    Schema.filter(
      (xs) => (xs.length >= size.min && xs.length <= size.max) || `list must hold ${size.min}..${size.max} items`
    )
  )

const intBetween = (min: number, max: number) => Schema.Int.pipe(Schema.between(min, max))

export const Profile = Schema.Struct({
  id: Schema.Int.pipe(Schema.nonNegative()),
  name: Schema.NonEmptyTrimmedString,
  age: intBetween(AGE_MIN, AGE_MAX),
  city: oneOf(CITIES),
  state: oneOf(STATES),
  sex: oneOf(SEXES),
  musicGenres: distinctList(MUSIC_GENRES, LIST_SIZES.musicGenres),
  favouriteGames: distinctList(GAMES, LIST_SIZES.games),
  platforms: distinctList(PLATFORMS, LIST_SIZES.platforms),
  playStyles: distinctList(PLAY_STYLES, LIST_SIZES.playStyles),
  availability: oneOf(AVAILABILITIES),
  desiredInteraction: oneOf(INTERACTIONS),
  sharesContact: Schema.Boolean,
  description: Schema.NonEmptyString,
  yearsOfExperience: intBetween(0, EXPERIENCE_MAX),
  mainGoal: oneOf(MAIN_GOALS),
  usesMicrophone: Schema.Boolean,
  languages: distinctList(LANGUAGES, { min: 1, max: LANGUAGES.length }),
  competitiveLevel: oneOf(COMPETITIVE_LEVELS),
  communicationStyle: oneOf(COMMUNICATION_STYLES)
}).pipe(
  Schema.filter(
    (p) => STATES[CITY_STATE[CITIES.indexOf(p.city)] as number] === p.state || `state must be the state of ${p.city}`
  )
)
export type Profile = typeof Profile.Type

const languageList = (mask: number): string[] => LANGUAGES.filter((_, i) => (mask & (1 << i)) !== 0)

/** Decodes row i of a chunk into a record (primary list items first). */
export const profileAt = (chunk: ProfileChunk, i: number): Profile => {
  if (!Number.isInteger(i) || i < 0 || i >= chunk.count) {
    throw new RangeError(`row ${i} is outside the chunk's 0..${chunk.count - 1}`)
  }
  const city = chunk.city[i] as number
  return {
    id: chunk.firstId + i,
    name: chunk.name[i] as string,
    age: chunk.age[i] as number,
    city: CITIES[city] as string,
    state: STATES[CITY_STATE[city] as number] as string,
    sex: SEXES[chunk.sex[i] as number] as string,
    musicGenres: maskItems(MUSIC_GENRES, chunk.musicGenres, i, 1, chunk.primaryMusicGenre[i] as number),
    favouriteGames: maskItems(GAMES, chunk.games, i * GAME_WORDS, GAME_WORDS, chunk.primaryGame[i] as number),
    platforms: maskItems(PLATFORMS, chunk.platforms, i, 1, chunk.primaryPlatform[i] as number),
    playStyles: maskItems(PLAY_STYLES, chunk.playStyles, i, 1, chunk.primaryPlayStyle[i] as number),
    availability: AVAILABILITIES[chunk.availability[i] as number] as string,
    desiredInteraction: INTERACTIONS[chunk.interaction[i] as number] as string,
    sharesContact: chunk.sharesContact[i] === 1,
    description: chunk.description[i] as string,
    yearsOfExperience: chunk.yearsOfExperience[i] as number,
    mainGoal: MAIN_GOALS[chunk.mainGoal[i] as number] as string,
    usesMicrophone: chunk.usesMicrophone[i] === 1,
    languages: languageList(chunk.languages[i] as number),
    competitiveLevel: COMPETITIVE_LEVELS[chunk.competitiveLevel[i] as number] as string,
    communicationStyle: COMMUNICATION_STYLES[chunk.communicationStyle[i] as number] as string
  }
}
