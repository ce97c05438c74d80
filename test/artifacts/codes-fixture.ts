/**
 * A small profile table's codes file on disk (by default 1,000 profiles of seed 11 in chunks of
 * 400: three chunks, the last one short), with its descriptor and codes reference, for artifact and
 * worker pool tests.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { CodesFileRef } from "../../src/artifacts/profile-table-codes.js"
import type { ProfileTableDescriptor } from "../../src/artifacts/profile-table.js"
import { BYTES_PER_PROFILE, generateChunk, type ProfileChunk } from "../../src/domain/profile/index.js"
import { tempDir } from "../runtime/harness.js"

export const SEED = 11
export const CHUNK = 400
export const ROWS = 1_000

export interface CodesFixtureShape {
  readonly seed: number
  readonly chunk: number
  readonly rows: number
}

export const writeCodesFixture = (prefix: string, shape: CodesFixtureShape = { seed: SEED, chunk: CHUNK, rows: ROWS }) => {
  const { seed, chunk, rows } = shape
  const chunks: Array<ProfileChunk> = []
  for (let start = 0, c = 0; start < rows; start += chunk, c++) chunks.push(generateChunk(seed, c, start + 1, Math.min(chunk, rows - start), "pt_BR"))
  const dir = tempDir(prefix)
  const codesPath = join(dir, "profiles.codes")
  writeFileSync(codesPath, Buffer.concat(chunks.map((c) => new Uint8Array(c.buffer))))
  const ref: CodesFileRef = { path: codesPath, rows, chunkSize: chunk, bytesPerProfile: BYTES_PER_PROFILE, seed, locale: "pt_BR" }
  const descriptor: ProfileTableDescriptor = {
    kind: "profile-table",
    digest: "d",
    path: join(dir, "profiles.sqlite"),
    table: "profiles",
    rows,
    seed,
    locale: "pt_BR",
    chunkSize: chunk,
    codes: { path: codesPath, bytesPerProfile: BYTES_PER_PROFILE }
  }
  return { dir, chunks, codesPath, ref, descriptor }
}
