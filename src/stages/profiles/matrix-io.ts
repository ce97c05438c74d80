/**
 * Reading and writing the raw matrix files of `VectorMatrix` and `ClusterAssignment` artifacts
 * (artifacts.ts: row-major little-endian float32, int64 ids, int32 assignments, no header).
 * Reads are zero-copy: the file is read into one Buffer and viewed as a typed array (copied only
 * when Node hands back a Buffer whose offset is not aligned for the element type).
 */
import { readFile } from "node:fs/promises"
import { Effect } from "effect"
import { StageError } from "../../runtime/errors.js"

const readBytes = (path: string, expectedBytes: number, what: string) =>
  Effect.tryPromise({
    try: () => readFile(path),
    catch: (cause) => new StageError({ message: `cannot read ${what} ${path}: ${String(cause)}`, retryable: false, cause })
  }).pipe(
    Effect.filterOrFail(
      (bytes) => bytes.byteLength === expectedBytes,
      (bytes) =>
        new StageError({
          message: `${what} ${path} holds ${bytes.byteLength} bytes, expected ${expectedBytes}`,
          retryable: false
        })
    )
  )

/** Views `bytes` as elements of `size` bytes, copying only when the offset is misaligned. */
const aligned = (bytes: Buffer, size: number): ArrayBuffer | { buffer: ArrayBufferLike; offset: number } => {
  if (bytes.byteOffset % size === 0) return { buffer: bytes.buffer, offset: bytes.byteOffset }
  const copy = new ArrayBuffer(bytes.byteLength)
  new Uint8Array(copy).set(bytes)
  return copy
}

const view = <T>(bytes: Buffer, size: number, make: (buffer: ArrayBufferLike, offset: number, length: number) => T): T => {
  const a = aligned(bytes, size)
  const length = bytes.byteLength / size
  return a instanceof ArrayBuffer ? make(a, 0, length) : make(a.buffer, a.offset, length)
}

/** A `rows x dim` float32 matrix file as one Float32Array. */
export const readMatrix = (path: string, rows: number, dim: number): Effect.Effect<Float32Array, StageError> =>
  Effect.map(readBytes(path, rows * dim * 4, "matrix file"), (bytes) =>
    view(bytes, 4, (buffer, offset, length) => new Float32Array(buffer, offset, length))
  )

/** A `rows` int64 ids file as one BigInt64Array. */
export const readIds = (path: string, rows: number): Effect.Effect<BigInt64Array, StageError> =>
  Effect.map(readBytes(path, rows * 8, "ids file"), (bytes) =>
    view(bytes, 8, (buffer, offset, length) => new BigInt64Array(buffer, offset, length))
  )

/** A `rows` int32 file (cluster assignments) as one Int32Array. */
export const readInt32 = (path: string, rows: number): Effect.Effect<Int32Array, StageError> =>
  Effect.map(readBytes(path, rows * 4, "int32 file"), (bytes) =>
    view(bytes, 4, (buffer, offset, length) => new Int32Array(buffer, offset, length))
  )

/** The bytes of any typed array, without copying, for `ArtifactStore.writeFile`. */
export const bytesOf = (array: Float32Array | Int32Array | BigInt64Array): Uint8Array =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
