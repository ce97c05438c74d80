/**
 * Atomic file writes: the bytes go to a temporary sibling, are fsynced, and are renamed over the
 * target (rename is atomic within a directory on POSIX). A reader, or a crash at any moment, sees
 * either the old file or the complete new one, never a prefix. The directory is fsynced too, so
 * the rename itself survives a power loss.
 */
import { createHash, randomBytes } from "node:crypto"
import { mkdir, open, rename, rm } from "node:fs/promises"
import { basename, dirname, join } from "node:path"

/** `.<name>.tmp-<pid>-<random>`: hidden, recognisable as ours, unique across processes and calls. */
export const tempSiblingOf = (path: string): string =>
  join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`)

const fsyncDirectory = async (dir: string): Promise<void> => {
  try {
    const handle = await open(dir, "r")
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Some platforms and file systems cannot fsync a directory; the file itself is already durable.
  }
}

/** Writes `data` to `path` atomically (creating parent directories) and returns its hex sha256. */
export const writeFileAtomic = async (path: string, data: Uint8Array | string): Promise<string> => {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data
  const digest = createHash("sha256").update(bytes).digest("hex")
  await mkdir(dirname(path), { recursive: true })
  const temp = tempSiblingOf(path)
  try {
    const handle = await open(temp, "wx")
    try {
      await handle.writeFile(bytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  await fsyncDirectory(dirname(path))
  return digest
}
