/**
 * `generate-profiles`: `count` profiles into the `profiles` table of `<workDir>/profiles.sqlite`
 * (schema: src/layers/sqlite/profiles-table.ts).
 *
 * Chunk c holds ids c*chunkSize+1 .. and is generated from (seed, c) alone on the WorkerPool, so
 * the rows are byte-identical for any worker count. Chunks are generated in parallel (up to twice
 * the pool size ahead); each worker also writes its chunk's rows into a scratch SQLite file, which
 * is copied into the table in chunk order, one transaction per chunk together with its `_chunks`
 * row (the atomic chunk checkpoint), which is then mirrored to the runtime Checkpoint
 * (profiles-table.ts says why and what it saves). Before that commit the chunk's numeric columns go
 * to `profiles.codes` at the chunk's offset (data-codes-file.ts), which later stages read instead of
 * regenerating profiles. The table is loaded with a rollback journal and left in WAL mode
 * (open.ts). A resumed run keeps the committed prefix of chunks, deletes any row beyond it
 * (defensive: a transaction cannot leave one), and goes on. `_meta` records seed, locale, count and
 * chunk size, with which readers check the table (or regenerate chunks of a table without codes).
 *
 * Digest: sha256 over the chunk digests (hex, one per line) in chunk order, each chunk digest over
 * its rows (profile-rows.ts): identical for any worker count and after a resume.
 */
import { mkdirSync, rmSync } from "node:fs"
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { BYTES_PER_PROFILE, type Locale } from "../../domain/profile/index.js"
import { finishBulkLoad } from "../../layers/sqlite/open.js"
import { Sqlite, sqliteTry } from "../../layers/sqlite/service.js"
import { chunkListDigest, readChunks } from "../../layers/sqlite/chunks-table.js"
import { PROFILES_DDL, PROFILES_INDEXES, PROFILES_TABLE, profileChunkAppender } from "../../layers/sqlite/profiles-table.js"
import { WorkerPool } from "../../layers/workers/service.js"
import { StageError } from "../../runtime/errors.js"
import { Checkpoint } from "../../runtime/services/checkpoint.js"
import { StageProgress } from "../../runtime/services/progress.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"
import { ProfileTable } from "../../artifacts/profile-table.js"
import { ChunkSize, LocaleName, ProfileCount, Seed } from "./data-config.js"
import { openCodesFile } from "./data-codes-file.js"
import { orderedChunks } from "./data-ordered-chunks.js"
import { resumeChunkedTable } from "./data-resume.js"

export const PROFILES_FILE = "profiles.sqlite"
const CODES_FILE = "profiles.codes"

export const toStageError = (error: { readonly message: string }): StageError =>
  new StageError({ message: error.message, retryable: false, cause: error })

/** What `_meta` must say for a database to be resumed with this config. */
const metaOf = (config: { count: number; seed: number; locale: string; chunkSize: number }) => ({
  kind: "generate-profiles",
  count: String(config.count),
  seed: String(config.seed),
  locale: config.locale,
  chunk_size: String(config.chunkSize)
})

export const generateProfiles = defineStageKind({
  name: "generate-profiles",
  // 2: writes the codes file (profiles.codes) that later stages read instead of regenerating.
  version: 2,
  description: "Generates synthetic pt-BR gamer profiles into a SQLite profiles table, in parallel, checkpointed per chunk.",
  config: Schema.Struct({
    count: field(ProfileCount, 100_000, "how many profiles (1..50,000,000)"),
    seed: field(Seed, 42, "random seed; the rows depend only on it, count and chunkSize"),
    locale: field(LocaleName, "pt_BR", "generator locale (supported: pt_BR)"),
    chunkSize: field(ChunkSize, 10_000, "profiles per generated and committed chunk")
  }),
  inputs: {},
  output: ProfileTable,
  run: ({ config, workDir }) =>
    Effect.gen(function* () {
      const sqlite = yield* Sqlite
      const pool = yield* WorkerPool
      const checkpoint = yield* Checkpoint
      const progress = yield* StageProgress
      const path = join(workDir, PROFILES_FILE)
      const chunks = Math.ceil(config.count / config.chunkSize)
      const rowsOf = (c: number) => Math.min(config.chunkSize, config.count - c * config.chunkSize)
      const meta = metaOf(config)

      const db = yield* sqlite.open(path, { cacheMiB: 128, bulkLoad: true })
      const resumeAt = yield* resumeChunkedTable({
        db,
        path,
        table: PROFILES_TABLE,
        ddl: PROFILES_DDL,
        meta,
        rows: config.count,
        chunkSize: config.chunkSize,
        unit: "profiles"
      })

      const append = yield* sqliteTry(path, "cannot prepare the chunk copy", () => profileChunkAppender(db))
      // Workers write each chunk's rows here; the chunk's copy into the table deletes its file.
      const scratch = join(workDir, "chunk-rows")
      yield* Effect.acquireRelease(
        Effect.try({ try: () => mkdirSync(scratch, { recursive: true }), catch: (cause) => toStageError({ message: `cannot create ${scratch}: ${String(cause)}` }) }),
        () => Effect.sync(() => rmSync(scratch, { recursive: true, force: true }))
      )
      const rowsFileOf = (c: number) => join(scratch, `chunk-${c}.sqlite`)
      const codesPath = join(workDir, CODES_FILE)
      const codes = yield* openCodesFile(codesPath, config.count)
      const todo = Array.from({ length: chunks - resumeAt }, (_, i) => resumeAt + i)
      yield* orderedChunks(
        todo,
        Math.max(2, pool.size * 2),
        (c) =>
          pool
            .run("generate-chunk", {
              seed: config.seed,
              chunk: c,
              firstId: c * config.chunkSize + 1,
              count: rowsOf(c),
              locale: config.locale as Locale,
              profiles: false,
              codes: null,
              rowsFile: rowsFileOf(c),
              features: false,
              embeddingDim: 0,
              embeddingMode: "attributes",
              embeddingSeed: 0
            })
            .pipe(Effect.mapError(toStageError)),
        (c, generated) =>
          Effect.gen(function* () {
            const { codes: buffer, rowsDigest: digest } = generated
            if (buffer === null || digest === null) {
              return yield* new StageError({ message: `chunk ${c} came back without its codes and rows digest`, retryable: false })
            }
            // The codes go first: a chunk SQLite records as committed always has its codes.
            yield* codes.write(c * config.chunkSize, buffer)
            yield* sqliteTry(path, `cannot copy chunk ${c} into the table`, () => append(rowsFileOf(c), c, generated.count, digest))
            yield* checkpoint.commit({ chunk: c, rows: generated.count, digest })
            yield* progress.advance(generated.count)
          })
      ).pipe(Effect.mapError((e) => (e._tag === "SqliteError" ? toStageError(e) : e)))

      const digest = yield* sqliteTry(path, "cannot finish the profiles table", () => {
        for (const ddl of PROFILES_INDEXES) db.exec(ddl)
        finishBulkLoad(db)
        const rows = readChunks(db)
        if (rows.length !== chunks) throw new Error(`expected ${chunks} committed chunks, found ${rows.length}`)
        return chunkListDigest("", rows)
      }).pipe(Effect.mapError(toStageError))

      return {
        kind: "profile-table" as const,
        path,
        table: PROFILES_TABLE,
        rows: config.count,
        seed: config.seed,
        locale: config.locale,
        codes: { path: codesPath, chunkSize: config.chunkSize, bytesPerProfile: BYTES_PER_PROFILE },
        digest
      }
    }).pipe(Effect.scoped, Effect.mapError((e) => (e._tag === "SqliteError" ? toStageError(e) : e)))
})
