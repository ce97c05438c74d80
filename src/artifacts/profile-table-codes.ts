/**
 * A profile table's codes file (`ProfileTable.codes`): every profile's numeric columns
 * (ProfileCodes, src/domain/profile/chunk.ts), chunk after chunk, no header: chunk c's numeric
 * buffer at byte c * chunkSize * BYTES_PER_PROFILE. generate-profiles writes each chunk here before
 * its SQLite commit, so a chunk the table records is always complete here too, and a resumed stage
 * rewrites the chunks it redoes in place. 55 bytes a profile (55 MB at 1,000,000).
 *
 * Readers that need numbers, not text (vectors, embeddings, match scores, stats) read this instead
 * of regenerating profiles: ~0.02 µs a profile against ~2.4 µs for regenerating names and
 * descriptions on the 2-core machine, and parsing SQLite text back would cost more still.
 *
 * `CodesFileRef` is what worker tasks are given to read it (a Schema, it crosses threads); the
 * synchronous readers are for them, the Effect ones for stages.
 */
import { closeSync, fsyncSync, openSync } from "node:fs"
import { Effect, Schema, type Scope } from "effect"
import { BYTES_PER_PROFILE, codesFromBytes, SUPPORTED_LOCALES, type ProfileCodes } from "../domain/profile/index.js"
import { openSized, readFully, writeFully } from "../layers/artifact-store/positioned-io.js"
import { StageError } from "../runtime/errors.js"

/** Everything needed to read a codes file: where, how many profiles, how chunked, from what seed. */
export const CodesFileRef = Schema.Struct({
  path: Schema.String,
  rows: Schema.Int.pipe(Schema.nonNegative()),
  chunkSize: Schema.Int.pipe(Schema.positive()),
  bytesPerProfile: Schema.Int.pipe(Schema.positive()),
  seed: Schema.Int.pipe(Schema.nonNegative()),
  locale: Schema.Literal(...SUPPORTED_LOCALES)
})
export type CodesFileRef = typeof CodesFileRef.Type

/** How many chunks the file holds. */
export const chunkCount = (ref: Pick<CodesFileRef, "rows" | "chunkSize">): number => Math.ceil(ref.rows / ref.chunkSize)

/** Chunk `c`'s first id and profile count (ids from 1). */
export const chunkExtent = (ref: Pick<CodesFileRef, "rows" | "chunkSize">, c: number): { readonly firstId: number; readonly count: number } => {
  if (!Number.isInteger(c) || c < 0 || c >= chunkCount(ref)) throw new RangeError(`chunk ${c} is outside the ${chunkCount(ref)} chunks`)
  const start = c * ref.chunkSize
  return { firstId: start + 1, count: Math.min(ref.chunkSize, ref.rows - start) }
}

const checkLayout = (ref: CodesFileRef): void => {
  if (ref.bytesPerProfile !== BYTES_PER_PROFILE) {
    throw new Error(`${ref.path} holds ${ref.bytesPerProfile} bytes a profile; this version reads ${BYTES_PER_PROFILE} (rerun generate-profiles)`)
  }
}

const readAt = (fd: number, ref: CodesFileRef, c: number): ProfileCodes => {
  const { firstId, count } = chunkExtent(ref, c)
  const bytes = new Uint8Array(count * BYTES_PER_PROFILE)
  readFully(fd, bytes, (firstId - 1) * BYTES_PER_PROFILE, ref.path)
  return codesFromBytes(bytes.buffer, { locale: ref.locale, seed: ref.seed, chunk: c, firstId, count })
}

/** Chunk `c`'s codes (on a buffer of their own), synchronously. Throws saying why the file does not fit `ref`. */
export const readCodesChunkSync = (ref: CodesFileRef, c: number): ProfileCodes => {
  checkLayout(ref)
  const fd = openSync(ref.path, "r")
  try {
    return readAt(fd, ref, c)
  } finally {
    closeSync(fd)
  }
}

/** Every chunk's codes, in id order, synchronously. Throws saying why the file does not fit `ref`. */
export const readCodesFileSync = (ref: CodesFileRef): Array<ProfileCodes> => {
  checkLayout(ref)
  const fd = openSync(ref.path, "r")
  try {
    return Array.from({ length: chunkCount(ref) }, (_, c) => readAt(fd, ref, c))
  } finally {
    closeSync(fd)
  }
}

/** Every chunk's codes, in id order, or a StageError saying why the file does not fit. */
export const readCodesFile = (ref: CodesFileRef): Effect.Effect<ReadonlyArray<ProfileCodes>, StageError> =>
  Effect.try({ try: () => readCodesFileSync(ref), catch: StageError.wrap(`cannot read profile codes ${ref.path}`) })

/** The writer of a codes file being filled. */
export interface CodesFileWriter {
  /** Writes a chunk's numeric buffer as profiles firstRow.. (0-based rows). */
  readonly write: (firstRow: number, buffer: ArrayBuffer) => Effect.Effect<void, StageError>
}

/** Opens (creating, sized for `rows` profiles) a codes file for writing; flushed and closed with the scope. */
export const openCodesFileWriter = (path: string, rows: number): Effect.Effect<CodesFileWriter, StageError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.try({ try: () => openSized(path, rows * BYTES_PER_PROFILE), catch: StageError.wrap(`cannot create the codes file ${path}`) }),
    (fd) =>
      Effect.sync(() => {
        try {
          fsyncSync(fd)
        } finally {
          closeSync(fd)
        }
      })
  ).pipe(
    Effect.map((fd) => ({
      write: (firstRow, buffer) =>
        Effect.try({
          try: () => writeFully(fd, new Uint8Array(buffer), firstRow * BYTES_PER_PROFILE),
          catch: StageError.wrap(`cannot write codes of rows ${firstRow}.. to ${path}`)
        })
    }))
  )
