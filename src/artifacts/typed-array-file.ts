/**
 * Raw typed-array files, the format the numeric artifacts share (vector matrices, ids, centroids,
 * cluster assignments): little-endian elements, row-major, no header, so a file's size alone says
 * whether it holds what its descriptor claims.
 *
 * Whole-file reads are zero-copy: the file is read into one Buffer and viewed as a typed array
 * (copied only when Node hands back a Buffer whose offset is not aligned for the element type).
 * Row reads open the file once and read each wanted row at its offset, so a stage that needs a
 * sample of a 512 MB matrix never holds the whole of it.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs"
import { open, readFile } from "node:fs/promises"
import { Effect, type Scope } from "effect"
import { StageError } from "../runtime/errors.js"

/** The typed arrays these files hold. */
export type NumericArray = Float32Array | Int32Array | BigInt64Array

/** The bytes of a typed array, without copying (for `ArtifactStore.writeFile`). */
export const bytesOf = (array: NumericArray): Uint8Array => new Uint8Array(array.buffer, array.byteOffset, array.byteLength)

const readBytes = (path: string, expectedBytes: number, what: string) =>
  Effect.tryPromise({
    try: () => readFile(path),
    catch: (cause) => StageError.fatal(`cannot read ${what} ${path}: ${String(cause)}`, cause)
  }).pipe(
    Effect.filterOrFail(
      (bytes) => bytes.byteLength === expectedBytes,
      (bytes) => StageError.fatal(`${what} ${path} holds ${bytes.byteLength} bytes, expected ${expectedBytes}`)
    )
  )

/**
 * Views `bytes` as `length` elements of `size` bytes, copying only when the offset is misaligned.
 * A file's bytes are never in a SharedArrayBuffer, so the views are typed over `ArrayBuffer` (what
 * Schema.instanceOf(Float32Array) in a worker task's input expects).
 */
const view = <T>(bytes: Buffer, size: number, make: (buffer: ArrayBuffer, offset: number, length: number) => T): T => {
  const length = bytes.byteLength / size
  if (bytes.byteOffset % size === 0) return make(bytes.buffer as ArrayBuffer, bytes.byteOffset, length)
  const copy = new ArrayBuffer(bytes.byteLength)
  new Uint8Array(copy).set(bytes)
  return make(copy, 0, length)
}

/** A file of exactly `count` float32 values. `what` names it in errors ("matrix file"). */
export const readFloat32File = (path: string, count: number, what: string): Effect.Effect<Float32Array<ArrayBuffer>, StageError> =>
  Effect.map(readBytes(path, count * 4, what), (bytes) => view(bytes, 4, (b, o, n) => new Float32Array(b, o, n)))

/** A file of exactly `count` int32 values. */
export const readInt32File = (path: string, count: number, what: string): Effect.Effect<Int32Array<ArrayBuffer>, StageError> =>
  Effect.map(readBytes(path, count * 4, what), (bytes) => view(bytes, 4, (b, o, n) => new Int32Array(b, o, n)))

/** A file of exactly `count` int64 values. */
export const readInt64File = (path: string, count: number, what: string): Effect.Effect<BigInt64Array<ArrayBuffer>, StageError> =>
  Effect.map(readBytes(path, count * 8, what), (bytes) => view(bytes, 8, (b, o, n) => new BigInt64Array(b, o, n)))

/** The shape of a float32 matrix file: where it is and its `rows x dim`. */
export interface MatrixFile {
  readonly path: string
  readonly rows: number
  readonly dim: number
}

const checkRow = (matrix: MatrixFile, row: number): void => {
  if (!Number.isInteger(row) || row < 0 || row >= matrix.rows) throw new RangeError(`row ${row} is outside the matrix`)
}

/**
 * Rows `rows` of a float32 matrix file, in the order given, as one `rows.length x dim` matrix,
 * read at their offsets. The file must hold exactly `rows x dim` values.
 */
export const readMatrixRows = (matrix: MatrixFile, rows: ArrayLike<number>): Effect.Effect<Float32Array, StageError> =>
  Effect.acquireUseRelease(
    Effect.tryPromise({
      try: () => open(matrix.path, "r"),
      catch: (cause) => StageError.fatal(`cannot open matrix ${matrix.path}: ${String(cause)}`, cause)
    }),
    (file) =>
      Effect.tryPromise({
        try: async () => {
          const rowBytes = matrix.dim * 4
          const { size } = await file.stat()
          if (size !== matrix.rows * rowBytes) throw new Error(`holds ${size} bytes, not ${matrix.rows} x ${matrix.dim} float32`)
          const values = new Float32Array(rows.length * matrix.dim)
          const target = new Uint8Array(values.buffer)
          for (let i = 0; i < rows.length; i++) {
            const row = rows[i] as number
            checkRow(matrix, row)
            const { bytesRead } = await file.read(target, i * rowBytes, rowBytes, row * rowBytes)
            if (bytesRead !== rowBytes) throw new Error(`ends inside row ${row}`)
          }
          return values
        },
        catch: (cause) => StageError.wrap(`cannot read rows of matrix ${matrix.path}`)(cause)
      }),
    (file) => Effect.promise(() => file.close())
  )

/** A matrix file kept open for reading single rows on demand (synchronously: one small read each). */
export interface MatrixRowReader {
  readonly rows: number
  readonly dim: number
  /** Row `row` as a new Float32Array; throws RangeError outside the matrix. */
  readonly row: (row: number) => Float32Array
}

/** Opens a matrix file for row reads; it closes with the scope. Checks the file's size first. */
export const openMatrixRows = (matrix: MatrixFile): Effect.Effect<MatrixRowReader, StageError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        const fd = openSync(matrix.path, "r")
        const size = fstatSync(fd).size
        if (size !== matrix.rows * matrix.dim * 4) {
          closeSync(fd)
          throw new Error(`holds ${size} bytes, not ${matrix.rows} x ${matrix.dim} float32`)
        }
        return fd
      },
      catch: (cause) => StageError.wrap(`cannot open matrix ${matrix.path}`)(cause)
    }),
    (fd) => Effect.sync(() => closeSync(fd))
  ).pipe(
    Effect.map((fd): MatrixRowReader => ({
      rows: matrix.rows,
      dim: matrix.dim,
      row: (row) => {
        checkRow(matrix, row)
        const out = new Float32Array(matrix.dim)
        const bytes = new Uint8Array(out.buffer)
        let done = 0
        while (done < bytes.length) {
          const n = readSync(fd, bytes, done, bytes.length - done, row * bytes.length + done)
          if (n === 0) throw new Error(`${matrix.path} ends inside row ${row}`)
          done += n
        }
        return out
      }
    }))
  )
