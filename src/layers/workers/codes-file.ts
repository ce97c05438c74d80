/**
 * Reading a profile table's codes file (written by generate-profiles: chunk c's numeric buffer at
 * byte c * chunkSize * BYTES_PER_PROFILE, ids from 1) synchronously, for worker tasks and for the
 * stages' Effect wrapper (src/stages/profiles/data-codes-file.ts).
 */
import { closeSync, openSync } from "node:fs"
import { Schema } from "effect"
import { BYTES_PER_PROFILE, codesFromBytes, SUPPORTED_LOCALES, type ProfileCodes } from "../../domain/profile/index.js"
import { readFully } from "../artifact-store/positioned-io.js"

export const CodesFileRef = Schema.Struct({
  path: Schema.String,
  rows: Schema.Int.pipe(Schema.nonNegative()),
  chunkSize: Schema.Int.pipe(Schema.positive()),
  bytesPerProfile: Schema.Int.pipe(Schema.positive()),
  seed: Schema.Int.pipe(Schema.nonNegative()),
  locale: Schema.Literal(...SUPPORTED_LOCALES)
})
export type CodesFileRef = typeof CodesFileRef.Type

/** The codes of `count` profiles from `firstId` (chunk `chunk`) at byte `offset` of an open codes file. */
export const readCodesChunk = (
  fd: number,
  path: string,
  offset: number,
  header: Pick<ProfileCodes, "locale" | "seed" | "chunk" | "firstId" | "count">
): ProfileCodes => {
  const bytes = new Uint8Array(header.count * BYTES_PER_PROFILE)
  readFully(fd, bytes, offset, path)
  return codesFromBytes(bytes.buffer, header)
}

/** Every chunk's codes, in id order. Throws with the reason when the file does not fit `ref`. */
export const readCodesFile = (ref: CodesFileRef): Array<ProfileCodes> => {
  if (ref.bytesPerProfile !== BYTES_PER_PROFILE) {
    throw new Error(`${ref.path} holds ${ref.bytesPerProfile} bytes a profile; this version reads ${BYTES_PER_PROFILE} (rerun generate-profiles)`)
  }
  const fd = openSync(ref.path, "r")
  try {
    const out: Array<ProfileCodes> = []
    for (let chunk = 0, start = 0; start < ref.rows; chunk++, start += ref.chunkSize) {
      const count = Math.min(ref.chunkSize, ref.rows - start)
      out.push(readCodesChunk(fd, ref.path, start * BYTES_PER_PROFILE, { locale: ref.locale, seed: ref.seed, chunk, firstId: start + 1, count }))
    }
    return out
  } finally {
    closeSync(fd)
  }
}
