/**
 * Reads a pipeline, profile or config file as text, refusing what cannot be one: a directory, a
 * device (`/dev/zero` never ends), a FIFO (reading it would wait for a writer), a file over
 * `MAX_FILE_BYTES`, bytes that are not UTF-8, and control characters YAML does not allow. The
 * file is opened non-blocking and checked with `fstat` on the open descriptor, so the check and
 * the read are about the same file and a FIFO never blocks the process.
 */
import * as fs from "node:fs"
import { formatBytes, MAX_FILE_BYTES } from "./limits.js"

/** The text, or why not, with the 1-based line and column of the offending byte when there is one. */
export type ReadResult =
  | { readonly text: string }
  | { readonly error: string; readonly line?: number; readonly column?: number }

const kindOf = (stat: fs.Stats): string =>
  stat.isDirectory()
    ? "a directory"
    : stat.isFIFO()
      ? "a FIFO (named pipe)"
      : stat.isCharacterDevice() || stat.isBlockDevice()
        ? "a device"
        : stat.isSocket()
          ? "a socket"
          : "not a regular file"

/** Byte offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
export const firstInvalidUtf8 = (bytes: Uint8Array): number => {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    if (b < 0x80) {
      i += 1
      continue
    }
    const [length, min] = b >= 0xc2 && b <= 0xdf ? [2, 0x80] : b >= 0xe0 && b <= 0xef ? [3, 0x800] : b >= 0xf0 && b <= 0xf4 ? [4, 0x10000] : [0, 0]
    if (length === 0 || i + length > bytes.length) return i
    let code = b & (0xff >> (length + 1))
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k]!
      if ((c & 0xc0) !== 0x80) return i
      code = (code << 6) | (c & 0x3f)
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
    if (code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return i
    i += length
  }
  return -1
}

/** 1-based line and column (in characters) of byte `offset`. */
const positionOf = (bytes: Uint8Array, offset: number): { readonly line: number; readonly column: number } => {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line += 1
      lineStart = i + 1
    }
  }
  const before = new TextDecoder("utf-8").decode(bytes.subarray(lineStart, offset))
  return { line, column: [...before].length + 1 }
}

/** C0 controls other than tab, newline and carriage return, and DEL: YAML forbids them in a stream. */
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

/** Decodes `bytes` as UTF-8 (a leading UTF-8 byte-order mark is dropped), or says where it is not. */
export const decodeSource = (bytes: Uint8Array): ReadResult => {
  const bad = firstInvalidUtf8(bytes)
  if (bad >= 0) {
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)
    const byte = bytes[bad]!.toString(16).padStart(2, "0")
    return {
      error: utf16
        ? "the file is UTF-16 (it starts with a UTF-16 byte-order mark), expected UTF-8; save it as UTF-8"
        : `byte 0x${byte} is not valid UTF-8; save the file as UTF-8`,
      ...positionOf(bytes, bad)
    }
  }
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes)
  const control = FORBIDDEN_CONTROL.exec(text)
  if (control !== null) {
    const before = text.slice(0, control.index)
    const line = before.split("\n").length
    const column = [...before.slice(before.lastIndexOf("\n") + 1)].length + 1
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")
    return { error: `control character U+${code} is not allowed in YAML; remove it`, line, column }
  }
  return { text }
}

/** Reads `file` as pipeline text, within `limit` bytes. */
export const readSourceFile = (file: string, limit: number = MAX_FILE_BYTES): ReadResult => {
  let fd: number
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK)
  } catch (cause) {
    const code = (cause as { code?: unknown }).code
    return { error: code === "ENOENT" ? "file not found" : cause instanceof Error ? cause.message : String(cause) }
  }
  try {
    const stat = fs.fstatSync(fd)
    if (!stat.isFile()) return { error: `it is ${kindOf(stat)}, expected a regular file` }
    const tooBig = `the file is larger than the limit of ${formatBytes(limit)} for pipeline and config files`
    if (stat.size > limit) return { error: `${tooBig} (${stat.size} bytes)` }
    // Read to the end but at most limit + 1 bytes, whatever fstat said: the file may grow meanwhile.
    const buffer = Buffer.alloc(Math.min(stat.size + 64 * 1024, limit + 1))
    let length = 0
    let chunk = buffer
    for (;;) {
      if (length === chunk.length) {
        if (chunk.length > limit) return { error: tooBig }
        const grown = Buffer.alloc(Math.min(chunk.length * 2, limit + 1))
        chunk.copy(grown, 0, 0, length)
        chunk = grown
      }
      const n = fs.readSync(fd, chunk, length, chunk.length - length, null)
      if (n === 0) break
      length += n
    }
    if (length > limit) return { error: tooBig }
    return decodeSource(chunk.subarray(0, length))
  } catch (cause) {
    return { error: cause instanceof Error ? cause.message : String(cause) }
  } finally {
    fs.closeSync(fd)
  }
}
