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
 * synchronous readers are for them, the Effect ones for stages. A task that may run on another
 * host (a remote WorkerPool: no shared filesystem) is given `CodesBytes` instead: the same layout
 * with the bytes of some of the file's chunks, read on the driver (`readCodesBytes`). Tasks take
 * either (`CodesSource`), and the synchronous readers read chunks from either the same way.
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

/**
 * Chunks of a codes file, in memory: the file's layout (as in CodesFileRef, less the path) and the
 * bytes of profiles `firstRow ..` (whole chunks), exactly as the file holds them.
 */
export const CodesBytes = Schema.Struct({
  rows: Schema.Int.pipe(Schema.nonNegative()),
  chunkSize: Schema.Int.pipe(Schema.positive()),
  bytesPerProfile: Schema.Int.pipe(Schema.positive()),
  seed: Schema.Int.pipe(Schema.nonNegative()),
  locale: Schema.Literal(...SUPPORTED_LOCALES),
  /** 0-based row of the first profile in `bytes` (a chunk's first row). */
  firstRow: Schema.Int.pipe(Schema.nonNegative()),
  bytes: Schema.instanceOf(Uint8Array)
})
export type CodesBytes = typeof CodesBytes.Type

/** Where a task reads codes from: the file (tasks on the caller's host) or bytes sent with the task. */
export const CodesSource = Schema.Union(CodesFileRef, CodesBytes)
export type CodesSource = typeof CodesSource.Type

const isBytes = (source: CodesSource): source is CodesBytes => "bytes" in source

/** A short name of a codes source for messages. */
const nameOf = (source: CodesSource): string =>
  isBytes(source) ? `the codes of rows ${source.firstRow}..${source.firstRow + source.bytes.byteLength / source.bytesPerProfile - 1}` : source.path

/** How many chunks the file holds. */
export const chunkCount = (ref: Pick<CodesFileRef, "rows" | "chunkSize">): number => Math.ceil(ref.rows / ref.chunkSize)

/** Chunk `c`'s first id and profile count (ids from 1). */
export const chunkExtent = (ref: Pick<CodesFileRef, "rows" | "chunkSize">, c: number): { readonly firstId: number; readonly count: number } => {
  if (!Number.isInteger(c) || c < 0 || c >= chunkCount(ref)) throw new RangeError(`chunk ${c} is outside the ${chunkCount(ref)} chunks`)
  const start = c * ref.chunkSize
  return { firstId: start + 1, count: Math.min(ref.chunkSize, ref.rows - start) }
}

const checkLayout = (source: CodesSource): void => {
  if (source.bytesPerProfile !== BYTES_PER_PROFILE) {
    throw new Error(`${nameOf(source)} holds ${source.bytesPerProfile} bytes a profile; this version reads ${BYTES_PER_PROFILE} (rerun generate-profiles)`)
  }
}

const readAt = (fd: number, ref: CodesFileRef, c: number): ProfileCodes => {
  const { firstId, count } = chunkExtent(ref, c)
  const bytes = new Uint8Array(count * BYTES_PER_PROFILE)
  readFully(fd, bytes, (firstId - 1) * BYTES_PER_PROFILE, ref.path)
  return codesFromBytes(bytes.buffer, { locale: ref.locale, seed: ref.seed, chunk: c, firstId, count })
}

/** Chunk `c` of in-memory codes (copied onto a buffer of its own); throws if `source` does not hold it. */
const sliceAt = (source: CodesBytes, c: number): ProfileCodes => {
  const { firstId, count } = chunkExtent(source, c)
  const start = (firstId - 1 - source.firstRow) * BYTES_PER_PROFILE
  const end = start + count * BYTES_PER_PROFILE
  if (start < 0 || end > source.bytes.byteLength) throw new RangeError(`chunk ${c} is not in ${nameOf(source)}`)
  // A copy, not a view: the codes need an ArrayBuffer of their own (and Buffer#slice would share).
  const bytes = new Uint8Array(source.bytes.subarray(start, end))
  return codesFromBytes(bytes.buffer, { locale: source.locale, seed: source.seed, chunk: c, firstId, count })
}

/** Chunk `c`'s codes (on a buffer of their own), synchronously. Throws saying why the source does not fit. */
export const readCodesChunkSync = (source: CodesSource, c: number): ProfileCodes => {
  checkLayout(source)
  if (isBytes(source)) return sliceAt(source, c)
  const fd = openSync(source.path, "r")
  try {
    return readAt(fd, source, c)
  } finally {
    closeSync(fd)
  }
}

/** Every chunk's codes, in id order, synchronously. Throws saying why the source does not fit (or lacks a chunk). */
export const readCodesFileSync = (source: CodesSource): Array<ProfileCodes> => {
  checkLayout(source)
  if (isBytes(source)) return Array.from({ length: chunkCount(source) }, (_, c) => sliceAt(source, c))
  const fd = openSync(source.path, "r")
  try {
    return Array.from({ length: chunkCount(source) }, (_, c) => readAt(fd, source, c))
  } finally {
    closeSync(fd)
  }
}

/**
 * Chunks `from .. to - 1` of a codes file (default: all of them) as CodesBytes, for a task that
 * cannot read the file; or a StageError saying why the file does not fit `ref`.
 */
export const readCodesBytes = (ref: CodesFileRef, from = 0, to = chunkCount(ref)): Effect.Effect<CodesBytes, StageError> =>
  Effect.try({
    try: (): CodesBytes => {
      checkLayout(ref)
      const firstRow = from * ref.chunkSize
      const rows = Math.max(0, Math.min(ref.rows, to * ref.chunkSize) - firstRow)
      const bytes = new Uint8Array(rows * BYTES_PER_PROFILE)
      const fd = openSync(ref.path, "r")
      try {
        readFully(fd, bytes, firstRow * BYTES_PER_PROFILE, ref.path)
      } finally {
        closeSync(fd)
      }
      return { rows: ref.rows, chunkSize: ref.chunkSize, bytesPerProfile: ref.bytesPerProfile, seed: ref.seed, locale: ref.locale, firstRow, bytes }
    },
    catch: StageError.wrap(`cannot read profile codes ${ref.path}`)
  })

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
