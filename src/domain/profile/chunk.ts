/**
 * ProfileChunk: a block of consecutive profiles in columnar form, the unit that workers generate,
 * transfer and the SQLite layer inserts.
 *
 * Why columnar: categorical fields are small integer codes (see vocabulary.ts) in typed arrays that
 * all live in ONE ArrayBuffer, so a chunk crosses threads by transferring that buffer (zero copy:
 * `postMessage(chunk, chunkTransferList(chunk))`; structured clone keeps every view on the moved
 * buffer), vectors are computed by indexing arrays, and bulk inserts read codes without parsing
 * text. Only `name` and `description` are strings.
 *
 * Row i is profile id `firstId + i`. Multi-valued fields are bitmasks (`*Words` words per row,
 * row-major) plus the code of their primary (first-drawn) item, which descriptions quote and which
 * decodes first in lists.
 */
import type { Locale } from "./locale.js"
import { GAME_WORDS } from "./vocabulary.js"

/**
 * A chunk's numbers without its strings: what vectors, embeddings and match scores are computed
 * from. generate-profiles stores every chunk's numeric buffer in the profile table's codes file
 * (`codesFromBytes` rebuilds the views), so later stages read 55 bytes a profile instead of
 * regenerating names and descriptions.
 */
export type ProfileCodes = Omit<ProfileChunk, "name" | "description">

export interface ProfileChunk {
  readonly locale: Locale
  /** Pipeline seed and chunk index this chunk was generated from. */
  readonly seed: number
  readonly chunk: number
  /** Id of row 0; row i has id firstId + i. */
  readonly firstId: number
  readonly count: number
  /** The single buffer behind every typed array below (transfer it to move the chunk). */
  readonly buffer: ArrayBuffer
  /** Bitmask over MUSIC_GENRES, 1 word per row. */
  readonly musicGenres: Uint32Array
  /** Bitmask over GAMES, GAME_WORDS words per row. */
  readonly games: Uint32Array
  /** Bitmask over PLATFORMS, 1 word per row. */
  readonly platforms: Uint32Array
  /** Bitmask over PLAY_STYLES, 1 word per row. */
  readonly playStyles: Uint32Array
  /**
   * Two independent stable hashes (string-hash.ts) of `name + description.slice(0, 10)`, 2 words per
   * row: the key of the seed-random embedding (the seed keyed its vectors by that text).
   */
  readonly textKey: Uint32Array
  /** Code into CITIES; the state is CITY_STATE[city]. */
  readonly city: Uint16Array
  /** Length of `description` in UTF-16 code units (a feature). */
  readonly descriptionLength: Uint16Array
  /** Age in years, AGE_MIN..AGE_MAX. */
  readonly age: Uint8Array
  /** Code into SEXES. */
  readonly sex: Uint8Array
  /** Code into AVAILABILITIES. */
  readonly availability: Uint8Array
  /** Code into INTERACTIONS. */
  readonly interaction: Uint8Array
  /** 1 if the person shares contact, else 0. */
  readonly sharesContact: Uint8Array
  /** Primary item codes of the four multi-valued fields. */
  readonly primaryMusicGenre: Uint8Array
  readonly primaryGame: Uint8Array
  readonly primaryPlatform: Uint8Array
  readonly primaryPlayStyle: Uint8Array
  /** V6 extras. */
  readonly yearsOfExperience: Uint8Array
  /** Code into MAIN_GOALS. */
  readonly mainGoal: Uint8Array
  /** 1 if the person uses a microphone, else 0. */
  readonly usesMicrophone: Uint8Array
  /** Bitmask over LANGUAGES (bits 0..2, never 0). */
  readonly languages: Uint8Array
  /** Code into COMPETITIVE_LEVELS. */
  readonly competitiveLevel: Uint8Array
  /** Code into COMMUNICATION_STYLES. */
  readonly communicationStyle: Uint8Array
  readonly name: ReadonlyArray<string>
  readonly description: ReadonlyArray<string>
}

/** Seeds of the two hashes in `textKey` (string-hash.ts). */
export const TEXT_KEY_SEEDS = [0x3c6ef372, 0xa54ff53a] as const

/** The numeric columns and their widths, widest first so every view is aligned. */
const U32_COLUMNS = [
  ["musicGenres", 1],
  ["games", GAME_WORDS],
  ["platforms", 1],
  ["playStyles", 1],
  ["textKey", 2]
] as const
const U16_COLUMNS = ["city", "descriptionLength"] as const
const U8_COLUMNS = [
  "age",
  "sex",
  "availability",
  "interaction",
  "sharesContact",
  "primaryMusicGenre",
  "primaryGame",
  "primaryPlatform",
  "primaryPlayStyle",
  "yearsOfExperience",
  "mainGoal",
  "usesMicrophone",
  "languages",
  "competitiveLevel",
  "communicationStyle"
] as const

type NumericColumns = Omit<
  ProfileChunk,
  "locale" | "seed" | "chunk" | "firstId" | "count" | "buffer" | "name" | "description"
>

/** Bytes of numeric data per profile (the size of `buffer` is count times this). */
export const BYTES_PER_PROFILE = U32_COLUMNS.reduce((s, [, w]) => s + 4 * w, 0) + 2 * U16_COLUMNS.length + U8_COLUMNS.length

/** Views of every numeric column of `count` rows over `buffer` (which holds count * BYTES_PER_PROFILE bytes). */
const columnsOver = (buffer: ArrayBuffer, count: number): NumericColumns & { readonly buffer: ArrayBuffer } => {
  let offset = 0
  const cols: Record<string, Uint32Array | Uint16Array | Uint8Array> = {}
  for (const [key, words] of U32_COLUMNS) {
    cols[key] = new Uint32Array(buffer, offset, count * words)
    offset += 4 * count * words
  }
  for (const key of U16_COLUMNS) {
    cols[key] = new Uint16Array(buffer, offset, count)
    offset += 2 * count
  }
  for (const key of U8_COLUMNS) {
    cols[key] = new Uint8Array(buffer, offset, count)
    offset += count
  }
  return { ...(cols as unknown as NumericColumns), buffer }
}

/** Allocates zeroed numeric columns for `count` rows over one fresh ArrayBuffer. */
export const allocateColumns = (count: number): NumericColumns & { readonly buffer: ArrayBuffer } =>
  columnsOver(new ArrayBuffer(count * BYTES_PER_PROFILE), count)

/**
 * A chunk's codes from the bytes of its numeric buffer (as written to a codes file). `buffer` must
 * hold exactly `count * BYTES_PER_PROFILE` bytes and is used in place.
 */
export const codesFromBytes = (
  buffer: ArrayBuffer,
  header: Pick<ProfileCodes, "locale" | "seed" | "chunk" | "firstId" | "count">
): ProfileCodes => {
  if (buffer.byteLength !== header.count * BYTES_PER_PROFILE) {
    throw new RangeError(`chunk ${header.chunk}: ${buffer.byteLength} bytes of codes, expected ${header.count} x ${BYTES_PER_PROFILE}`)
  }
  return { ...columnsOver(buffer, header.count), ...header }
}

/** What to pass as `postMessage`'s transfer list to move a chunk without copying its numbers. */
export const chunkTransferList = (chunk: ProfileChunk): ArrayBuffer[] => [chunk.buffer]
