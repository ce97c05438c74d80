/**
 * Profiles, matrices and index-free data that the match-eval and report stages read back.
 *
 * Profiles are read from the table's codes file (profileCodes) or regenerated, never parsed back from
 * SQLite text: a ProfileTable carries its seed and locale, and
 * chunks are a pure function of (seed, chunk, firstId, count), so regenerating the columns costs
 * ~5 µs a profile against far more for parsing text rows back. The one thing the artifact does not
 * carry is the generator's chunk size; `resolveChunkLayout` takes it from the table's `_meta`
 * (`chunk_size`, written by generate-profiles) or a list of common sizes, or checks a given one, by
 * comparing regenerated names with the `name` column of a few rows in the SQLite table, so a
 * mismatch is a clear error instead of silently wrong profiles.
 */
import { open, readFile } from "node:fs/promises"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { generateChunk, type ProfileChunk, type ProfileCodes } from "../../domain/profile/index.js"
import { isSupportedLocale, type Locale } from "../../domain/profile/locale.js"
import { StageError } from "../../runtime/errors.js"
import { type CodesRef, readCodeChunks, usableCodes } from "./data-codes-file.js"

const fail = (message: string, cause?: unknown) => new StageError({ message, retryable: false, cause })

/** The fields of a ProfileTable descriptor these helpers read. */
export interface ProfileTableRef {
  readonly path: string
  readonly table: string
  readonly rows: number
  readonly seed: number
  readonly locale: string
}

export interface ChunkLayout {
  /** Id of the first profile; profile `firstId + i` is row `i`. */
  readonly firstId: number
  readonly chunkSize: number
}

/** Chunk sizes tried, in order, when none is given (after the whole table as one chunk). */
export const CHUNK_SIZE_CANDIDATES: ReadonlyArray<number> = [
  1000, 1024, 2000, 2048, 4096, 5000, 8192, 10_000, 16_384, 20_000, 25_000, 32_768, 50_000, 65_536, 100_000,
  131_072, 200_000, 250_000, 262_144, 500_000, 524_288, 1_000_000, 1_048_576
]

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`

const checkLocale = (locale: string): Effect.Effect<Locale, StageError> =>
  isSupportedLocale(locale) ? Effect.succeed(locale) : Effect.fail(fail(`profile table has unknown locale '${locale}'`))

/** The name of profile `id` if the table has one (undefined when the row or column is missing). */
type NameLookup = (id: number) => string | undefined

const openNames = (ref: ProfileTableRef) =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        const db = new Database(ref.path, { readonly: true, fileMustExist: true })
        const minRow = db.prepare(`SELECT MIN(id) AS id FROM ${quoteIdent(ref.table)}`).get() as { id: number | null }
        const byId = db.prepare(`SELECT name FROM ${quoteIdent(ref.table)} WHERE id = ?`)
        const lookup: NameLookup = (id) => (byId.get(id) as { name?: string } | undefined)?.name
        // generate-profiles records its chunk size in `_meta`; other tables may not have one.
        let metaChunkSize: number | undefined
        try {
          const row = db.prepare("SELECT value FROM _meta WHERE key = 'chunk_size'").get() as { value?: string } | undefined
          const n = Number(row?.value)
          if (Number.isInteger(n) && n > 0) metaChunkSize = n
        } catch {
          metaChunkSize = undefined
        }
        // Chunk 1's first profile does not depend on its id, so the ids holding its name are the
        // only possible starts of chunk 1: one query finds every candidate chunk size.
        const idsNamed = (name: string): ReadonlyArray<number> =>
          (db.prepare(`SELECT id FROM ${quoteIdent(ref.table)} WHERE name = ? ORDER BY id LIMIT 64`).all(name) as Array<{ id: number }>).map(
            (r) => r.id
          )
        return { db, firstId: minRow.id ?? 0, lookup, metaChunkSize, idsNamed }
      },
      catch: (cause) => fail(`cannot read profiles table '${ref.table}' in ${ref.path}: ${String(cause)}`, cause)
    }),
    ({ db }) => Effect.sync(() => db.close())
  )

/**
 * Whether chunk size `size` regenerates the names stored at the starts of chunks 0, 1, 2 and the
 * last, and at the table's last row (which also tells a single chunk from several).
 */
const layoutMatches = (ref: ProfileTableRef, locale: Locale, firstId: number, size: number, lookup: NameLookup): boolean => {
  const chunks = Math.ceil(ref.rows / size)
  const probes = new Set([0, 1, 2, chunks - 1].filter((c) => c >= 0 && c < chunks))
  for (const chunk of probes) {
    const id = firstId + chunk * size
    const expected = generateChunk(ref.seed, chunk, id, 1, locale).name[0]
    if (lookup(id) !== expected) return false
  }
  const lastChunk = chunks - 1
  const lastIndex = ref.rows - 1 - lastChunk * size
  const last = generateChunk(ref.seed, lastChunk, firstId + lastChunk * size, lastIndex + 1, locale)
  return lookup(firstId + ref.rows - 1) === last.name[lastIndex]
}

/**
 * The chunk layout the table was generated with: `chunkSize` when given (checked), else the first
 * candidate whose regenerated names match the stored ones.
 */
export const resolveChunkLayout = (ref: ProfileTableRef, chunkSize: number | "auto") =>
  Effect.scoped(
    Effect.gen(function* () {
      const locale = yield* checkLocale(ref.locale)
      const { firstId, lookup, metaChunkSize, idsNamed } = yield* openNames(ref)
      if (chunkSize !== "auto") {
        if (!layoutMatches(ref, locale, firstId, chunkSize, lookup)) {
          return yield* Effect.fail(
            fail(`profiles in ${ref.path} were not generated with chunkSize ${chunkSize} (seed ${ref.seed}); set the generator's chunkSize`)
          )
        }
        return { firstId, chunkSize }
      }
      // Smallest first: a wrong size fails at the start of chunk 1 after one generated profile.
      const chunkOneName = generateChunk(ref.seed, 1, firstId, 1, locale).name[0] as string
      const starts = idsNamed(chunkOneName).map((id) => id - firstId).filter((size) => size > 0 && size < ref.rows)
      const candidates = [
        ...(metaChunkSize === undefined ? [] : [metaChunkSize]),
        ...starts,
        ...CHUNK_SIZE_CANDIDATES.filter((c) => c < ref.rows),
        ref.rows
      ]
      for (const size of candidates) {
        if (size > 0 && layoutMatches(ref, locale, firstId, size, lookup)) return { firstId, chunkSize: size }
      }
      return yield* Effect.fail(
        fail(
          `cannot infer the chunk size profiles in ${ref.path} were generated with (tried ${candidates.length} sizes); set profileChunkSize`
        )
      )
    })
  )

/**
 * Regenerates the table's chunks lazily, in id order: callers that fold them (encoding, stats)
 * keep one chunk's strings alive at a time instead of the whole table's.
 */
export function* regenerateChunks(ref: ProfileTableRef, layout: ChunkLayout): Generator<ProfileChunk> {
  const locale = ref.locale as Locale
  for (let chunk = 0, start = 0; start < ref.rows; chunk++, start += layout.chunkSize) {
    const count = Math.min(layout.chunkSize, ref.rows - start)
    yield generateChunk(ref.seed, chunk, layout.firstId + start, count, locale)
  }
}

/**
 * Every profile's codes in id order: read from the table's codes file when it has one (and the
 * layout agrees with it), else regenerated chunk by chunk.
 */
export const profileCodes = (
  ref: ProfileTableRef & { readonly codes?: CodesRef["codes"] | undefined },
  layout: ChunkLayout
): Effect.Effect<Iterable<ProfileCodes>, StageError> => {
  const codes = usableCodes(ref, layout)
  return codes !== undefined ? readCodeChunks(codes) : Effect.sync(() => regenerateChunks(ref, layout))
}

/** The chunk holding table row `row`, regenerated, and the row's index in it. */
export const chunkOfRow = (ref: ProfileTableRef, layout: ChunkLayout, row: number) => {
  if (!Number.isInteger(row) || row < 0 || row >= ref.rows) throw new RangeError(`row ${row} is outside the table`)
  const chunk = Math.floor(row / layout.chunkSize)
  const start = chunk * layout.chunkSize
  const count = Math.min(layout.chunkSize, ref.rows - start)
  return { chunk: generateChunk(ref.seed, chunk, layout.firstId + start, count, ref.locale as Locale), index: row - start }
}

const readBytes = (path: string, what: string) =>
  Effect.tryPromise({ try: () => readFile(path), catch: (cause) => fail(`cannot read ${what} ${path}`, cause) })

/**
 * Rows `rows` of a float32 matrix file (rows x dim, little-endian), read at their offsets, and the
 * whole int64 ids file: what a stage needs when it queries with a sample of the rows, without
 * holding the matrix (512 MB at 1,000,000 x 128) in memory.
 */
export const readMatrixRows = (
  matrix: { readonly path: string; readonly idsPath: string; readonly rows: number; readonly dim: number },
  rows: ReadonlyArray<number>
) =>
  Effect.gen(function* () {
    const idBytes = yield* readBytes(matrix.idsPath, "ids")
    if (idBytes.byteLength !== matrix.rows * 8) {
      return yield* Effect.fail(fail(`ids file ${matrix.idsPath} does not hold ${matrix.rows} int64 ids`))
    }
    const ids = new BigInt64Array(matrix.rows)
    new Uint8Array(ids.buffer).set(idBytes)
    const rowBytes = matrix.dim * 4
    const values = new Float32Array(rows.length * matrix.dim)
    const target = new Uint8Array(values.buffer)
    yield* Effect.acquireUseRelease(
      Effect.tryPromise({ try: () => open(matrix.path, "r"), catch: (cause) => fail(`cannot open matrix ${matrix.path}`, cause) }),
      (file) =>
        Effect.tryPromise({
          try: async () => {
            const { size } = await file.stat()
            if (size !== matrix.rows * rowBytes) throw new Error(`holds ${size} bytes, not ${matrix.rows} x ${matrix.dim} float32`)
            for (let i = 0; i < rows.length; i++) {
              const row = rows[i] as number
              if (!Number.isInteger(row) || row < 0 || row >= matrix.rows) throw new RangeError(`row ${row} is outside the matrix`)
              await file.read(target, i * rowBytes, rowBytes, row * rowBytes)
            }
          },
          catch: (cause) => fail(`cannot read rows of matrix ${matrix.path}: ${cause instanceof Error ? cause.message : String(cause)}`, cause)
        }),
      (file) => Effect.promise(() => file.close())
    )
    return { values, ids }
  })

