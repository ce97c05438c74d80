/**
 * File manifests: what a committed stage directory held, so reuse can trust the disk rather than
 * the ledger alone. At commit every regular file under the stage's directory is recorded with its
 * size, modification time, a digest of sampled blocks and a full sha256.
 *
 * Two depths of check:
 * - `quick` (every `plan` and `run` before reusing): sizes, the sampled digest and, for any file
 *   whose modification time moved since the commit, the full digest. Reading 16 blocks of 16 KiB
 *   per big file keeps a fully reused plan of a 1M-profile run well under a second, and any write
 *   through the file system (which moves the mtime) is caught by the full digest.
 * - `full` (`pipeline verify`): the full digest of every file.
 *
 * SQLite's shared-memory index (`-shm`) and an empty write-ahead log (`-wal`) are not data: a
 * reader creates them at will, so they are left out. A non-empty `-wal` holds committed pages and
 * is recorded like any file.
 */
import { createHash } from "node:crypto"
import { open, readdir, stat } from "node:fs/promises"
import { join, relative, sep } from "node:path"
import type { FileCheck, FileProblem } from "../../runtime/services/artifact-store.js"
import { digestFile } from "./digest-file.js"

/** Files up to this size are digested whole even by the quick check. */
export const SAMPLE_WHOLE_LIMIT = 1024 * 1024
/** Blocks read (first and last included) by the quick check of a bigger file, and their size. */
export const SAMPLE_BLOCKS = 16
export const SAMPLE_BLOCK_BYTES = 16 * 1024

const isTransientSqliteFile = (name: string, size: number): boolean =>
  name.endsWith("-shm") || (name.endsWith("-wal") && size === 0)

/** Evenly spaced block offsets from the start to the last full block, in order. */
const sampleOffsets = (size: number): ReadonlyArray<number> => {
  const last = size - SAMPLE_BLOCK_BYTES
  const offsets: Array<number> = []
  for (let i = 0; i < SAMPLE_BLOCKS; i++) offsets.push(Math.floor((i * last) / (SAMPLE_BLOCKS - 1)))
  return offsets
}

/** The quick content digest: the whole file when small, else sha256 of its size and sampled blocks. */
export const sampleDigest = async (path: string, size: number): Promise<string> => {
  if (size <= SAMPLE_WHOLE_LIMIT) return digestFile(path)
  const hash = createHash("sha256").update(`${size}:`)
  const block = Buffer.alloc(SAMPLE_BLOCK_BYTES)
  const handle = await open(path, "r")
  try {
    for (const offset of sampleOffsets(size)) {
      const { bytesRead } = await handle.read(block, 0, SAMPLE_BLOCK_BYTES, offset)
      hash.update(block.subarray(0, bytesRead))
    }
  } finally {
    await handle.close()
  }
  return hash.digest("hex")
}

/** Store-relative paths use `/` whatever the platform, so a ledger reads the same everywhere. */
const storePath = (root: string, path: string): string => relative(root, path).split(sep).join("/")

const listFiles = async (dir: string): Promise<ReadonlyArray<string>> => {
  const found: Array<string> = []
  const walk = async (at: string): Promise<void> => {
    const entries = await readdir(at, { withFileTypes: true })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const path = join(at, entry.name)
      if (entry.isDirectory()) await walk(path)
      else if (entry.isFile()) found.push(path)
    }
  }
  await walk(dir)
  return found
}

/** Records every regular file under `dir` (paths relative to `root`). */
export const recordFiles = async (root: string, dir: string): Promise<ReadonlyArray<FileCheck>> => {
  const checks: Array<FileCheck> = []
  for (const path of await listFiles(dir)) {
    const info = await stat(path)
    if (isTransientSqliteFile(path, info.size)) continue
    const digest = await digestFile(path)
    checks.push({
      path: storePath(root, path),
      size: info.size,
      mtimeMs: info.mtimeMs,
      // A small file's sample is its digest: no second read.
      sample: info.size <= SAMPLE_WHOLE_LIMIT ? digest : await sampleDigest(path, info.size),
      digest
    })
  }
  return checks
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`

/** Checks one recorded file; null when it is intact. */
const checkFile = async (root: string, file: FileCheck, depth: "quick" | "full"): Promise<FileProblem | null> => {
  const path = join(root, ...file.path.split("/"))
  const problem = (detail: string): FileProblem => ({ path: file.path, detail })
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => error)
  if (info instanceof Error) {
    return problem(info.code === "ENOENT" ? "is missing" : `cannot be read (${info.code ?? info.message})`)
  }
  if (!info.isFile()) return problem("is no longer a regular file")
  if (info.size !== file.size) return problem(`holds ${plural(info.size, "byte")}, ${plural(file.size, "byte")} were committed`)
  try {
    if (depth === "quick" && (await sampleDigest(path, info.size)) !== file.sample) {
      return problem(
        `has different content than was committed (${info.size <= SAMPLE_WHOLE_LIMIT ? "sha256" : "sampled blocks"} differ${info.size <= SAMPLE_WHOLE_LIMIT ? "s" : ""})`
      )
    }
    if (depth === "full" || info.mtimeMs !== file.mtimeMs) {
      if ((await digestFile(path)) !== file.digest) {
        return problem(
          depth === "full"
            ? "has different content than was committed (sha256 differs)"
            : "was modified after it was committed (sha256 differs)"
        )
      }
    }
  } catch (error) {
    return problem(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
  return null
}

/** Every problem with a recorded set of files, in their order; empty when all are intact. */
export const checkFiles = async (
  root: string,
  files: ReadonlyArray<FileCheck>,
  depth: "quick" | "full"
): Promise<ReadonlyArray<FileProblem>> => {
  const problems: Array<FileProblem> = []
  for (const file of files) {
    const problem = await checkFile(root, file, depth)
    if (problem !== null) problems.push(problem)
  }
  return problems
}
