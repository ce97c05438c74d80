/**
 * The compact encoding of many profiles for exhaustive scoring (the match-eval stage scores every
 * profile against ~200 origins over 1,000,000 profiles). Per profile it keeps only what the score
 * reads, as typed-array columns:
 *
 * | column                 | type         | meaning                                          |
 * |------------------------|--------------|--------------------------------------------------|
 * | platforms/games/styles | BitsetColumn | bitsets over the field's vocabulary, set sizes   |
 * | availability           | Uint8Array   | bucket code 0..8 (0 = missing), availability.ts  |
 * | interactionClass       | Uint8Array   | token class 0..7, 8 = missing, interaction.ts    |
 * | interactionId          | Uint32Array  | 0 = missing, else 1 + code of the normalised value |
 *
 * With the seed's lists that is 1 word of platforms, 4 of games, 1 of styles: 42 bytes a profile
 * (42 MB for a million). Values outside the lists are encoded exactly (vocabulary.ts).
 */
import { availabilityBucket } from "../availability.js"
import { INTERACTION_MISSING, interactionClass, normalizeInteraction } from "../interaction.js"
import type { MatchProfile } from "../profile.js"
import { SEED_GAMES, SEED_INTERACTION, SEED_PLATFORMS, SEED_PLAY_STYLES } from "../seed-values.js"
import { type BitsetColumn, SetColumnBuilder } from "./set-column.js"
import { ItemVocabulary } from "./vocabulary.js"

export interface EncodedProfiles {
  /** Number of profiles; row `i` is the `i`-th profile given to the encoder. */
  readonly count: number
  readonly platforms: BitsetColumn
  readonly games: BitsetColumn
  readonly styles: BitsetColumn
  readonly availability: Uint8Array
  readonly interactionClass: Uint8Array
  readonly interactionId: Uint32Array
  /** Normalised interaction value of each id; id `k` is `interactionValues[k - 1]`. */
  readonly interactionValues: ReadonlyArray<string>
}

/** The value lists that get the first codes; defaults are the seed's (seed-values.ts). */
export interface EncoderVocabularies {
  readonly platforms?: Iterable<string>
  readonly games?: Iterable<string>
  readonly styles?: Iterable<string>
  readonly interaction?: Iterable<string>
}

/** Builds an `EncodedProfiles` one profile at a time, so callers can stream rows from storage. */
export class ProfileEncoder {
  readonly #platforms: SetColumnBuilder
  readonly #games: SetColumnBuilder
  readonly #styles: SetColumnBuilder
  readonly #availability: Array<number> = []
  readonly #interactionClass: Array<number> = []
  readonly #interactionId: Array<number> = []
  readonly #interactions: ItemVocabulary
  /** Bucket of each raw availability string seen: a Map hit is cheaper than the keyword scan. */
  readonly #bucketCache = new Map<string, number>()
  readonly #classOfId: Array<number> = []

  constructor(vocabularies: EncoderVocabularies = {}, expectedRows = 1024) {
    this.#platforms = new SetColumnBuilder(vocabularies.platforms ?? SEED_PLATFORMS, expectedRows)
    this.#games = new SetColumnBuilder(vocabularies.games ?? SEED_GAMES, expectedRows)
    this.#styles = new SetColumnBuilder(vocabularies.styles ?? SEED_PLAY_STYLES, expectedRows)
    this.#interactions = new ItemVocabulary()
    for (const value of vocabularies.interaction ?? SEED_INTERACTION) this.#interactionCode(value)
  }

  get count(): number {
    return this.#availability.length
  }

  /** Appends a profile as the next row. */
  push(profile: MatchProfile): void {
    this.#platforms.add(profile.platforms)
    this.#games.add(profile.games)
    this.#styles.add(profile.styles)
    this.#availability.push(this.#bucketOf(profile.availability))
    const id = this.#interactionCode(profile.interaction)
    this.#interactionId.push(id)
    this.#interactionClass.push(id === 0 ? INTERACTION_MISSING : (this.#classOfId[id] ?? INTERACTION_MISSING))
  }

  finish(): EncodedProfiles {
    return {
      count: this.count,
      platforms: this.#platforms.build(),
      games: this.#games.build(),
      styles: this.#styles.build(),
      availability: Uint8Array.from(this.#availability),
      interactionClass: Uint8Array.from(this.#interactionClass),
      interactionId: Uint32Array.from(this.#interactionId),
      interactionValues: this.#interactions.items()
    }
  }

  #bucketOf(value: string | null | undefined): number {
    if (value === null || value === undefined) return availabilityBucket(value)
    let bucket = this.#bucketCache.get(value)
    if (bucket === undefined) {
      bucket = availabilityBucket(value)
      this.#bucketCache.set(value, bucket)
    }
    return bucket
  }

  /** 0 for a missing value, else 1 + the vocabulary code of its normalised form. */
  #interactionCode(value: string | null | undefined): number {
    const key = normalizeInteraction(value)
    if (key === undefined) return 0
    const id = this.#interactions.codeOfNormalized(key) + 1
    if (this.#classOfId[id] === undefined) this.#classOfId[id] = interactionClass(key)
    return id
  }
}

/** Encodes `profiles` in order (row `i` = `profiles[i]`). */
export const encodeProfiles = (
  profiles: Iterable<MatchProfile>,
  vocabularies: EncoderVocabularies = {}
): EncodedProfiles => {
  const encoder = new ProfileEncoder(vocabularies, Array.isArray(profiles) ? profiles.length : 1024)
  for (const profile of profiles) encoder.push(profile)
  return encoder.finish()
}
