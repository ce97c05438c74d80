/**
 * The profile workload's worker tasks compute what the domain computes: vectors from a chunk's
 * codes read from the codes file equal those of the regenerated chunk, the exhaustive top equals
 * the domain's top matches, and a chunk's rows file holds the chunk's rows (on two threads, so the
 * tasks' modules load in workers as they do in a pipeline).
 */
import { join } from "node:path"
import Database from "better-sqlite3"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { DEFAULT_MATCH_CONFIG, encodeProfileCodes, topMatchesEncoded } from "../../src/domain/matching/index.js"
import { embeddingsInto, FEATURE_DIM, featuresInto } from "../../src/domain/vectors/index.js"
import { ExhaustiveTopTask } from "../../src/artifacts/exhaustive-top-tasks.js"
import { fillRow, PROFILE_COLUMNS, profileChunkDigest } from "../../src/artifacts/profile-table-rows.js"
import { WriteProfileChunk } from "../../src/artifacts/profile-table-tasks.js"
import { floatsDigest, ProfileChunkEmbeddings, ProfileChunkFeatures } from "../../src/artifacts/vector-matrix-writer-tasks.js"
import { WorkerPool } from "../../src/layers/workers/service.js"
import { tempDir } from "../runtime/harness.js"
import { ROWS, SEED, writeCodesFixture } from "./codes-fixture.js"
import { poolLayer } from "../layers/workers/data-pipeline.js"

const { chunks, ref: codes } = writeCodesFixture("profile-tasks-")

describe("profile worker tasks (2 threads)", () => {
  it.live("vectors from the codes file equal the regenerated chunk's, with their digests", () =>
    Effect.gen(function* () {
      const pool = yield* WorkerPool
      for (let c = 0; c < chunks.length; c++) {
        const chunk = chunks[c]!
        const features = yield* pool.run(ProfileChunkFeatures, { codes, chunk: c })
        const expectedFeatures = new Float32Array(chunk.count * FEATURE_DIM)
        featuresInto(chunk, expectedFeatures)
        expect(features.values).toEqual(expectedFeatures)
        expect(features.digest).toBe(floatsDigest(expectedFeatures))
        const embeddings = yield* pool.run(ProfileChunkEmbeddings, { codes, chunk: c, dim: 16, mode: "seed-random", seed: 5 })
        const expectedEmbeddings = new Float32Array(chunk.count * 16)
        embeddingsInto(chunk, 16, "seed-random", 5, expectedEmbeddings)
        expect(embeddings.values).toEqual(expectedEmbeddings)
        expect(embeddings.digest).toBe(floatsDigest(expectedEmbeddings))
      }
      const outside = yield* Effect.flip(pool.run(ProfileChunkFeatures, { codes, chunk: 3 }))
      expect(outside.message).toMatch(/profiles\/chunk-features.*outside the 3 chunks/)
    }).pipe(Effect.scoped, Effect.provide(poolLayer(2)))
  )

  it.live("exhaustive-top from the codes file equals the domain's top matches", () =>
    Effect.gen(function* () {
      const pool = yield* WorkerPool
      const origins = [0, 399, 400, 999]
      const result = yield* pool.run(ExhaustiveTopTask, { codes, origins, top: 10, match: DEFAULT_MATCH_CONFIG })
      const enc = encodeProfileCodes(chunks, ROWS)
      expect(result.matches).toEqual(origins.map((o) => topMatchesEncoded(enc, o, DEFAULT_MATCH_CONFIG, 10).matches))
      const outside = yield* Effect.flip(pool.run(ExhaustiveTopTask, { codes, origins: [ROWS], top: 10, match: DEFAULT_MATCH_CONFIG }))
      expect(outside.message).toMatch(/outside the 1000 profiles/)
    }).pipe(Effect.scoped, Effect.provide(poolLayer(2)))
  )

  it.live("write-chunk writes the chunk's rows and returns its codes and rows digest", () =>
    Effect.gen(function* () {
      const pool = yield* WorkerPool
      const rowsFile = join(tempDir("profile-rows-"), "chunk-1.sqlite")
      const chunk = chunks[1]!
      const out = yield* pool.run(WriteProfileChunk, { seed: SEED, locale: "pt_BR", chunk: 1, firstId: chunk.firstId, count: chunk.count, rowsFile })
      expect(Buffer.from(out.codes).equals(Buffer.from(chunk.buffer))).toBe(true)
      expect(out.rowsDigest).toBe(profileChunkDigest(chunk))
      const db = new Database(rowsFile, { readonly: true })
      const rows = db.prepare(`SELECT ${PROFILE_COLUMNS.join(", ")} FROM profiles ORDER BY id`).raw().all() as Array<Array<unknown>>
      db.close()
      expect(rows).toHaveLength(chunk.count)
      const expected = new Array<unknown>(PROFILE_COLUMNS.length)
      fillRow(chunk, 17, expected, 0)
      expect(rows[17]).toEqual(expected)
    }).pipe(Effect.scoped, Effect.provide(poolLayer(2)))
  )
})
