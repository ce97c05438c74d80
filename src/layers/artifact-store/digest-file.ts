/**
 * Streaming sha256 of a file. Reads in 1 MiB blocks, so memory stays flat for multi-GB matrices
 * and index files, and the hash sees the same bytes `writeFileAtomic` hashed.
 */
import { createHash } from "node:crypto"
import { createReadStream } from "node:fs"

const READ_BLOCK = 1024 * 1024

export const digestFile = async (path: string): Promise<string> => {
  const hash = createHash("sha256")
  for await (const chunk of createReadStream(path, { highWaterMark: READ_BLOCK })) {
    hash.update(chunk as Buffer)
  }
  return hash.digest("hex")
}
