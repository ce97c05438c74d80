/**
 * The profile table's codes file (ProfileTable.codes): every chunk's numeric buffer at its fixed
 * offset, written by generate-profiles before the chunk's SQLite commit, so a chunk the table
 * records is always complete here too, and a resumed stage rewrites the chunks it redoes in place.
 * 55 bytes a profile (55 MB at 1,000,000); `readCodeChunks` gives them back chunk by chunk.
 */
import { closeSync, fsyncSync } from "node:fs"
import { Effect, type Scope } from "effect"
import { BYTES_PER_PROFILE, type Locale, type ProfileCodes } from "../../domain/profile/index.js"
import { openSized, writeFully } from "../../layers/artifact-store/positioned-io.js"
import { type CodesFileRef, readCodesFile } from "../../layers/workers/codes-file.js"
import { StageError } from "../../runtime/errors.js"

const fail = (message: string, cause?: unknown) => new StageError({ message, retryable: false, cause })

export interface CodesFile {
  /** Writes a chunk's numeric buffer as profiles firstRow.. */
  readonly write: (firstRow: number, buffer: ArrayBuffer) => Effect.Effect<void, StageError>
}

/** Opens (creating, sized for `rows` profiles) the codes file; flushed and closed with the scope. */
export const openCodesFile = (path: string, rows: number): Effect.Effect<CodesFile, StageError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.try({
      try: () => openSized(path, rows * BYTES_PER_PROFILE),
      catch: (cause) => fail(`cannot create the codes file ${path}: ${String(cause)}`, cause)
    }),
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
          catch: (cause) => fail(`cannot write codes of rows ${firstRow}.. to ${path}: ${String(cause)}`, cause)
        })
    }))
  )

export interface CodesRef {
  readonly rows: number
  readonly seed: number
  readonly locale: string
  readonly codes: { readonly path: string; readonly chunkSize: number; readonly bytesPerProfile: number }
}

/** What a worker task needs to read the codes file (layers/workers/codes-file.ts). */
const codesFileRef = (ref: CodesRef): CodesFileRef => ({
  path: ref.codes.path,
  rows: ref.rows,
  chunkSize: ref.codes.chunkSize,
  bytesPerProfile: ref.codes.bytesPerProfile,
  seed: ref.seed,
  locale: ref.locale as Locale
})

/**
 * The table's codes file, when it has one and a reader expecting `layout` (ids from `firstId`, that
 * chunk size) can use it; undefined otherwise (a table made before codes files, or laid out
 * differently), and the reader regenerates the profiles instead.
 */
export const usableCodes = (
  ref: Omit<CodesRef, "codes"> & { readonly codes?: CodesRef["codes"] | undefined },
  layout: { readonly firstId: number; readonly chunkSize: number }
): CodesFileRef | undefined =>
  ref.codes !== undefined && ref.codes.chunkSize === layout.chunkSize && layout.firstId === 1
    ? codesFileRef({ ...ref, codes: ref.codes })
    : undefined

/** The byte offset of chunk `c`'s codes. */
export const codesOffset = (ref: CodesFileRef, c: number): number => c * ref.chunkSize * BYTES_PER_PROFILE

/** Reads the codes file chunk by chunk, in id order, or fails saying why it does not fit. */
export const readCodeChunks = (ref: CodesFileRef): Effect.Effect<ReadonlyArray<ProfileCodes>, StageError> =>
  Effect.try({
    try: () => readCodesFile(ref),
    catch: (cause) => fail(`cannot read profile codes ${ref.path}: ${cause instanceof Error ? cause.message : String(cause)}`, cause)
  })
