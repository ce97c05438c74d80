/**
 * `profile-table`: generated profiles in a SQLite table (profile-table-sql.ts says its columns),
 * and their codes file (the numeric columns of every profile, chunk after chunk:
 * profile-table-codes.ts), which programs read instead of regenerating profiles.
 *
 * The descriptor is the single source of truth about the data: rows (ids 1..rows, contiguous),
 * the seed and locale it was generated from, the chunk size (chunk c holds ids
 * c*chunkSize+1.., generated from (seed, c) alone), and the codes file. Readers here take it and
 * nothing else; the writer (profile-table-writer.ts) makes it.
 */
import { Effect, Schema } from "effect"
import { generateChunk, SUPPORTED_LOCALES, type ProfileChunk, type ProfileCodes } from "../domain/profile/index.js"
import { type ArtifactOf, defineArtifactKind } from "../runtime/artifact.js"
import type { StageError } from "../runtime/errors.js"
import { chunkExtent, type CodesFileRef, readCodesFile } from "./profile-table-codes.js"

export { writeProfileTable, type ProfileChunkRows, type ProfileChunkSlot, type ProfileTableSpec } from "./profile-table-writer.js"

const NonNegativeInt = Schema.Int.pipe(Schema.nonNegative())
const PositiveInt = Schema.Int.pipe(Schema.positive())

/** The `profile-table` artifact kind. */
export const ProfileTable = defineArtifactKind("profile-table", "profiles in a SQLite table, and their codes file", {
  /** The SQLite database file. */
  path: Schema.String,
  table: Schema.String,
  /** Profiles; ids are 1..rows. */
  rows: NonNegativeInt,
  seed: NonNegativeInt,
  locale: Schema.Literal(...SUPPORTED_LOCALES),
  /** Profiles per generated chunk: chunk c holds ids c*chunkSize+1 .. and is generated from (seed, c). */
  chunkSize: PositiveInt,
  /** The codes file: chunk c's numeric buffer at byte c * chunkSize * bytesPerProfile (profile-table-codes.ts). */
  codes: Schema.Struct({ path: Schema.String, bytesPerProfile: PositiveInt })
})

/** A profile table's descriptor. */
export type ProfileTableDescriptor = ArtifactOf<typeof ProfileTable>

/** What worker tasks need to read the table's codes file. */
export const codesRefOf = (profiles: ProfileTableDescriptor): CodesFileRef => ({
  path: profiles.codes.path,
  rows: profiles.rows,
  chunkSize: profiles.chunkSize,
  bytesPerProfile: profiles.codes.bytesPerProfile,
  seed: profiles.seed,
  locale: profiles.locale
})

/** Every profile's codes, chunk by chunk in id order, read from the codes file. */
export const readProfileCodes = (profiles: ProfileTableDescriptor): Effect.Effect<ReadonlyArray<ProfileCodes>, StageError> =>
  readCodesFile(codesRefOf(profiles))

/**
 * Chunk `c` with its strings (names, descriptions), regenerated from (seed, c): the codes file has
 * no text, and regenerating one chunk is cheaper than parsing its rows back from SQLite.
 */
export const regenerateProfileChunk = (profiles: ProfileTableDescriptor, c: number): ProfileChunk => {
  const { firstId, count } = chunkExtent(profiles, c)
  return generateChunk(profiles.seed, c, firstId, count, profiles.locale)
}

/** The chunk holding table row `row` (0-based: id - 1), regenerated, and the row's index in it. */
export const profileChunkOfRow = (profiles: ProfileTableDescriptor, row: number): { readonly chunk: ProfileChunk; readonly index: number } => {
  if (!Number.isInteger(row) || row < 0 || row >= profiles.rows) throw new RangeError(`row ${row} is outside the ${profiles.rows} profiles`)
  const c = Math.floor(row / profiles.chunkSize)
  return { chunk: regenerateProfileChunk(profiles, c), index: row - c * profiles.chunkSize }
}

/** Table row of profile `id`, or -1 when the table has no such profile. */
export const rowOfProfileId = (profiles: Pick<ProfileTableDescriptor, "rows">, id: number): number =>
  Number.isInteger(id) && id >= 1 && id <= profiles.rows ? id - 1 : -1
