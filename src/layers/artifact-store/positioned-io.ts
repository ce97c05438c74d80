/**
 * Positioned file I/O for the bulk data files (matrices, ids, profile codes): a file sized up front
 * and written or read at offsets, so chunks land in any order and a resumed stage rewrites only the
 * chunks it redoes. `writeSync`/`readSync` may move fewer bytes than asked; these loop until done.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs"

/** Opens `path` for reading and writing (creating it) and sets its size to `bytes`. */
export const openSized = (path: string, bytes: number): number => {
  const fd = openSync(path, existsSync(path) ? "r+" : "w+")
  try {
    ftruncateSync(fd, bytes)
  } catch (error) {
    closeSync(fd)
    throw error
  }
  return fd
}

/** Writes all of `bytes` at `position`. */
export const writeFully = (fd: number, bytes: Uint8Array, position: number): void => {
  let done = 0
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done)
}

/** Fills `bytes` from `position`; throws naming `what` if the file ends first. */
export const readFully = (fd: number, bytes: Uint8Array, position: number, what: string): void => {
  let done = 0
  while (done < bytes.length) {
    const n = readSync(fd, bytes, done, bytes.length - done, position + done)
    if (n === 0) throw new Error(`${what} ends at byte ${position + done}`)
    done += n
  }
}
