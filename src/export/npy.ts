/**
 * NumPy `.npy` files (format version 1.0): the magic string, a Python-literal header naming the
 * dtype and shape, padded so the data starts at a multiple of 64 bytes, then the raw values,
 * little-endian, C order. `numpy.load(path, mmap_mode="r")` maps such a file without reading it,
 * whatever its size.
 *
 * The run's matrix, ids, centroid and assignment files already hold exactly those raw bytes, so an
 * export writes the header and copies the file after it, 8 MiB at a time.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs"
import { writeAll } from "./fd-writer.js"

/** The element types exported: float32, int32, int64, little-endian. */
export type NpyDtype = "<f4" | "<i4" | "<i8"

export const NPY_ITEM_BYTES: Readonly<Record<NpyDtype, number>> = { "<f4": 4, "<i4": 4, "<i8": 8 }

const ALIGN = 64

/** The header of an `.npy` file of `shape` (row-major) and `dtype`, up to where the data starts. */
export const npyHeader = (dtype: NpyDtype, shape: ReadonlyArray<number>): Uint8Array => {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${dims}, }`
  // magic (6) + version (2) + header length (2) + dict + padding + "\n" is a multiple of ALIGN.
  const unpadded = 10 + dict.length + 1
  const total = Math.ceil(unpadded / ALIGN) * ALIGN
  const text = `${dict}${" ".repeat(total - unpadded)}\n`
  const header = new Uint8Array(total)
  header.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]) // \x93NUMPY 1.0
  header[8] = text.length & 0xff
  header[9] = text.length >> 8
  for (let i = 0; i < text.length; i++) header[10 + i] = text.charCodeAt(i)
  return header
}

const COPY_BYTES = 8 << 20

/**
 * Writes an `.npy` file to `fd`: the header for `dtype` and `shape`, then the raw file `source`,
 * which must hold exactly shape's product of values (a source of another size throws, naming it).
 * `onBytes` is told how many bytes were copied after each block (progress).
 */
export const writeNpyFromFile = (
  fd: number,
  source: string,
  dtype: NpyDtype,
  shape: ReadonlyArray<number>,
  onBytes: (copied: number) => void = () => {}
): void => {
  const expected = shape.reduce((a, b) => a * b, 1) * NPY_ITEM_BYTES[dtype]
  const input = openSync(source, "r")
  try {
    const size = fstatSync(input).size
    if (size !== expected) throw new Error(`${source} holds ${size} bytes; shape (${shape.join(", ")}) of ${dtype} needs ${expected}`)
    writeAll(fd, npyHeader(dtype, shape))
    const block = new Uint8Array(Math.min(COPY_BYTES, Math.max(expected, 1)))
    let copied = 0
    while (copied < expected) {
      const n = readSync(input, block, 0, Math.min(block.byteLength, expected - copied), copied)
      if (n === 0) throw new Error(`${source} ended after ${copied} of ${expected} bytes`)
      writeAll(fd, block.subarray(0, n))
      copied += n
      onBytes(copied)
    }
  } finally {
    closeSync(input)
  }
}

/** Writes an `.npy` file of an array held in memory. */
export const writeNpyArray = (fd: number, dtype: NpyDtype, shape: ReadonlyArray<number>, values: Float32Array | Int32Array | BigInt64Array): void => {
  writeAll(fd, npyHeader(dtype, shape))
  writeAll(fd, new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
}
