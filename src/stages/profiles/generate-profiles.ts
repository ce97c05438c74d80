/**
 * `generate-profiles`: `count` profiles into a profile table (src/artifacts/profile-table.ts):
 * the `profiles` table of `<workDir>/profiles.sqlite` and the codes file `profiles.codes`.
 *
 * Chunk c holds ids c*chunkSize+1 .. and is generated from (seed, c) alone on the WorkerPool
 * (`profiles/write-chunk`, profile-table-tasks.ts: the worker also writes the chunk's rows into a
 * scratch SQLite file and hashes them), so the rows are byte-identical for any worker count.
 * Chunks are generated up to twice the pool size ahead; the table's writer
 * (profile-table-writer.ts) commits them in chunk order, one checkpoint per chunk, and resumes a
 * run that stopped after the committed prefix.
 *
 * On a remote WorkerPool (tasks on other hosts, no shared filesystem) each chunk is
 * `profiles/build-chunk` instead: the worker returns the scratch database's bytes and this stage
 * writes them to the chunk's scratch file, so the writer and every byte of the table are the same.
 * Every call is keyed by (cache key, chunk), so a cluster pool recognises a re-sent chunk.
 */
import { writeFileSync } from "node:fs"
import { Effect, Schema } from "effect"
import type { Locale } from "../../domain/profile/index.js"
import { ProfileTable, writeProfileTable } from "../../artifacts/profile-table.js"
import type { ProfileChunkRows, ProfileChunkSlot } from "../../artifacts/profile-table-writer.js"
import { BuildProfileChunk, WriteProfileChunk } from "../../artifacts/profile-table-tasks.js"
import { StageError } from "../../runtime/errors.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"
import { WorkerPool, withChunkKey } from "../../services/worker-pool.js"
import { ChunkSize, LocaleName, ProfileCount, Seed } from "./data-config.js"

/** The `generate-profiles` stage kind. */
export const generateProfiles = defineStageKind({
  name: "generate-profiles",
  // 2: writes the codes file (profiles.codes) that later stages read instead of regenerating.
  // 3: the descriptor carries the chunk size and the codes file, both required.
  // 4: grammatical descriptions (description.ts): new text and lengths (the description-length feature).
  version: 4,
  description: "Generates synthetic pt-BR gamer profiles into a SQLite profiles table, in parallel, checkpointed per chunk.",
  config: Schema.Struct({
    count: field(ProfileCount, 100_000, "how many profiles (1..50,000,000)"),
    seed: field(Seed, 42, "random seed; the rows depend only on it, count and chunkSize"),
    locale: field(LocaleName, "pt_BR", "generator locale (supported: pt_BR)"),
    chunkSize: field(ChunkSize, 10_000, "profiles per generated and committed chunk")
  }),
  inputs: {},
  output: ProfileTable,
  run: ({ config, workDir, cacheKey }) =>
    Effect.gen(function* () {
      const pool = yield* WorkerPool
      // LocaleName admits only supported locales.
      const locale = config.locale as Locale
      const local = (slot: ProfileChunkSlot): Effect.Effect<ProfileChunkRows, StageError> =>
        pool.run(WriteProfileChunk, { seed: config.seed, locale, ...slot }).pipe(Effect.mapError((e) => StageError.fatal(e.message, e)))
      // The worker cannot write our scratch file: it sends the file's bytes and we write them.
      const remote = ({ rowsFile, ...chunk }: ProfileChunkSlot): Effect.Effect<ProfileChunkRows, StageError> =>
        pool.run(BuildProfileChunk, { seed: config.seed, locale, ...chunk }).pipe(
          Effect.mapError((e) => StageError.fatal(e.message, e)),
          Effect.flatMap(({ codes, rowsDigest, rowsDatabase }) =>
            Effect.try({ try: () => writeFileSync(rowsFile, rowsDatabase), catch: StageError.wrap(`cannot write ${rowsFile}`) }).pipe(
              Effect.as({ codes, rowsDigest })
            )
          )
        )
      const produce = pool.remote === true ? remote : local
      return yield* writeProfileTable(
        { workDir, rows: config.count, seed: config.seed, locale, chunkSize: config.chunkSize, window: Math.max(2, pool.size * 2) },
        (slot) => produce(slot).pipe(withChunkKey(cacheKey, slot.chunk))
      )
    })
})
