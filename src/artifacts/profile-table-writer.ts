/**
 * Writing a profile table: `<workDir>/profiles.sqlite` (table `profiles`) and `<workDir>/profiles.codes`.
 *
 * Chunks are produced concurrently by the caller (on the WorkerPool: each producer writes its
 * chunk's rows into a scratch SQLite file the writer names, and returns the chunk's codes and rows
 * digest: profile-table-tasks.ts); the writer consumes them in chunk order: the codes go to the
 * codes file at the chunk's offset, then the scratch file's rows are copied into the table in one
 * transaction together with the chunk's `_chunks` row (the atomic chunk checkpoint;
 * profile-table-sql.ts says why and what it saves), which is then mirrored to the runtime
 * Checkpoint. The table is loaded with a rollback journal and left in WAL mode (open.ts). A resumed
 * run keeps the committed prefix of chunks, deletes any row beyond it (defensive: a transaction
 * cannot leave one) and goes on (chunked-table.ts). `_meta` records seed, locale, count and chunk
 * size, against which a restart checks the file.
 *
 * Digest: sha256 over the chunk digests (hex, one per line) in chunk order, each over its rows
 * (profile-table-rows.ts): identical for any worker count and after a resume.
 */
import { mkdirSync, rmSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { BYTES_PER_PROFILE, type Locale } from "../domain/profile/index.js"
import { finishBulkLoad } from "../layers/sqlite/open.js"
import { Sqlite, sqliteTry } from "../services/sqlite.js"
import { type LedgerError, StageError } from "../runtime/errors.js"
import { Checkpoint } from "../runtime/services/checkpoint.js"
import { StageProgress } from "../runtime/services/progress.js"
import { chunkLayout, committedDigest, fromSqlite, orderedChunks, resumeChunkedTable } from "./chunked-table.js"
import { openCodesFileWriter } from "./profile-table-codes.js"
import type { ProfileTableDescriptor } from "./profile-table.js"
import { PROFILES_DDL, PROFILES_INDEXES, PROFILES_TABLE, profileChunkAppender } from "./profile-table-sql.js"

const PROFILES_FILE = "profiles.sqlite"
const CODES_FILE = "profiles.codes"

/** What table to write. */
export interface ProfileTableSpec {
  /** The stage's work directory; the files go here. */
  readonly workDir: string
  readonly rows: number
  readonly seed: number
  readonly locale: Locale
  readonly chunkSize: number
  /** Chunks produced ahead of the one being written (e.g. twice the worker pool's size). */
  readonly window: number
}

/** One chunk to produce: its index and ids, and the scratch SQLite file its rows go to. */
export interface ProfileChunkSlot {
  readonly chunk: number
  readonly firstId: number
  readonly count: number
  /**
   * Where the producer puts a new SQLite file holding only the chunk's `profiles` rows
   * (profile-table-sql.ts `writeProfileChunkFile`, or the bytes of `serializeProfileChunk`).
   */
  readonly rowsFile: string
}

/** What a producer returns once the chunk's rows are in its `rowsFile`. */
export interface ProfileChunkRows {
  /** The chunk's numeric buffer (ProfileCodes). */
  readonly codes: ArrayBuffer
  /** sha256 of the chunk's rows (profile-table-rows.ts `profileChunkDigest`). */
  readonly rowsDigest: string
}

/** What `_meta` must say for a database to be resumed with this spec. */
const metaOf = (spec: ProfileTableSpec) => ({
  kind: "generate-profiles",
  count: String(spec.rows),
  seed: String(spec.seed),
  locale: spec.locale,
  chunk_size: String(spec.chunkSize)
})

/** Writes (or resumes) the table, producing each missing chunk with `produce`. */
export const writeProfileTable = <E, R>(
  spec: ProfileTableSpec,
  produce: (slot: ProfileChunkSlot) => Effect.Effect<ProfileChunkRows, E, R>
): Effect.Effect<ProfileTableDescriptor, StageError | LedgerError | E, R | Sqlite | Checkpoint | StageProgress> =>
  Effect.gen(function* () {
    const sqlite = yield* Sqlite
    const checkpoint = yield* Checkpoint
    const progress = yield* StageProgress
    const path = join(spec.workDir, PROFILES_FILE)
    const { chunks, rowsOf } = chunkLayout(spec.rows, spec.chunkSize)

    const db = yield* sqlite.open(path, { cacheMiB: 128, bulkLoad: true }).pipe(Effect.mapError(fromSqlite))
    const resumeAt = yield* resumeChunkedTable({
      db,
      path,
      table: PROFILES_TABLE,
      ddl: PROFILES_DDL,
      meta: metaOf(spec),
      rows: spec.rows,
      chunkSize: spec.chunkSize,
      unit: "profiles"
    }).pipe(Effect.mapError((e) => (e._tag === "SqliteError" ? fromSqlite(e) : e)))

    const append = yield* sqliteTry(path, "cannot prepare the chunk copy", () => profileChunkAppender(db)).pipe(Effect.mapError(fromSqlite))
    // Producers write each chunk's rows here; the chunk's copy into the table deletes its file.
    const scratch = join(spec.workDir, "chunk-rows")
    yield* Effect.acquireRelease(
      Effect.try({ try: () => mkdirSync(scratch, { recursive: true }), catch: StageError.wrap(`cannot create ${scratch}`) }),
      () => Effect.sync(() => rmSync(scratch, { recursive: true, force: true }))
    )
    const rowsFileOf = (c: number) => join(scratch, `chunk-${c}.sqlite`)
    const codesPath = join(spec.workDir, CODES_FILE)
    const codes = yield* openCodesFileWriter(codesPath, spec.rows)
    const todo = Array.from({ length: chunks - resumeAt }, (_, i) => resumeAt + i)
    yield* orderedChunks(
      todo,
      spec.window,
      (c) => produce({ chunk: c, firstId: c * spec.chunkSize + 1, count: rowsOf(c), rowsFile: rowsFileOf(c) }),
      (c, made) =>
        Effect.gen(function* () {
          const rows = rowsOf(c)
          if (made.codes.byteLength !== rows * BYTES_PER_PROFILE) {
            return yield* StageError.fatal(`chunk ${c} came back with ${made.codes.byteLength} bytes of codes, expected ${rows * BYTES_PER_PROFILE}`)
          }
          // The codes go first: a chunk SQLite records as committed always has its codes.
          yield* codes.write(c * spec.chunkSize, made.codes)
          yield* sqliteTry(path, `cannot copy chunk ${c} into the table`, () => append(rowsFileOf(c), c, rows, made.rowsDigest)).pipe(
            Effect.mapError(fromSqlite)
          )
          yield* checkpoint.commit({ chunk: c, rows, digest: made.rowsDigest })
          yield* progress.advance(rows)
        })
    )

    yield* sqliteTry(path, "cannot finish the profiles table", () => {
      for (const ddl of PROFILES_INDEXES) db.exec(ddl)
      finishBulkLoad(db)
    }).pipe(Effect.mapError(fromSqlite))
    const digest = yield* committedDigest(db, path, chunks, "")

    return {
      kind: "profile-table" as const,
      path,
      table: PROFILES_TABLE,
      rows: spec.rows,
      seed: spec.seed,
      locale: spec.locale,
      chunkSize: spec.chunkSize,
      codes: { path: codesPath, bytesPerProfile: BYTES_PER_PROFILE },
      digest
    }
  }).pipe(Effect.scoped)
