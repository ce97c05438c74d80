/**
 * Reading profiles back from a codes file instead of regenerating them: the codes round-trip, and the
 * tasks give the same vectors and exhaustive matches from the file as from regenerated chunks, on
 * the threads pool too.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { DEFAULT_MATCH_CONFIG, encodeProfileCodes, topMatchesEncoded } from "../../../src/domain/matching/index.js"
import { BYTES_PER_PROFILE, generateChunk, type ProfileChunk } from "../../../src/domain/profile/index.js"
import { readCodesFile } from "../../../src/layers/workers/codes-file.js"
import { WorkerPool } from "../../../src/layers/workers/service.js"
import type { GenerateChunkInput } from "../../../src/layers/workers/tasks.js"
import { tempDir } from "../../runtime/harness.js"
import { poolLayer } from "./data-pipeline.js"

const SEED = 11
const CHUNK = 400
const ROWS = 1_000 // three chunks, the last one short
const chunks: Array<ProfileChunk> = []
for (let start = 0, c = 0; start < ROWS; start += CHUNK, c++) chunks.push(generateChunk(SEED, c, start + 1, Math.min(CHUNK, ROWS - start), "pt_BR"))
const dir = tempDir("codes-file-")
const path = join(dir, "profiles.codes")
writeFileSync(path, Buffer.concat(chunks.map((c) => new Uint8Array(c.buffer))))
const ref = { path, rows: ROWS, chunkSize: CHUNK, bytesPerProfile: BYTES_PER_PROFILE, seed: SEED, locale: "pt_BR" as const }

const vectorsInput = (c: number, fromFile: boolean): GenerateChunkInput => ({
  seed: SEED,
  chunk: c,
  firstId: c * CHUNK + 1,
  count: chunks[c]!.count,
  locale: "pt_BR",
  profiles: false,
  codes: fromFile ? { path, offset: c * CHUNK * BYTES_PER_PROFILE } : null,
  rowsFile: null,
  features: true,
  embeddingDim: 16,
  embeddingMode: "seed-random",
  embeddingSeed: 5
})

describe("codes file", () => {
  it("round-trips every numeric column", () => {
    const read = readCodesFile(ref)
    expect(read.map((c) => [c.chunk, c.firstId, c.count])).toEqual(chunks.map((c) => [c.chunk, c.firstId, c.count]))
    read.forEach((c, i) => {
      expect(Buffer.from(c.buffer).equals(Buffer.from(chunks[i]!.buffer))).toBe(true)
      expect(Array.from(c.textKey)).toEqual(Array.from(chunks[i]!.textKey))
      expect(Array.from(c.descriptionLength)).toEqual(chunks[i]!.description.map((d) => d.length))
    })
    expect(() => readCodesFile({ ...ref, rows: ROWS + 1 })).toThrow(/ends at byte/)
    expect(() => readCodesFile({ ...ref, bytesPerProfile: BYTES_PER_PROFILE - 1 })).toThrow(/rerun generate-profiles/)
  })

  it.live("vectors from the file equal vectors from regenerated chunks (2 threads)", () =>
    Effect.gen(function* () {
      const pool = yield* WorkerPool
      for (let c = 0; c < chunks.length; c++) {
        const fromFile = yield* pool.run("generate-chunk", vectorsInput(c, true))
        const regenerated = yield* pool.run("generate-chunk", vectorsInput(c, false))
        expect(fromFile.featuresDigest).toBe(regenerated.featuresDigest)
        expect(fromFile.embeddingsDigest).toBe(regenerated.embeddingsDigest)
      }
      const refused = yield* Effect.flip(pool.run("generate-chunk", { ...vectorsInput(0, true), profiles: true }))
      expect(refused.message).toMatch(/cannot come from a codes file/)
    }).pipe(Effect.provide(poolLayer(2)))
  )

  it.live("exhaustive-top from the file equals the domain's top matches (2 threads)", () =>
    Effect.gen(function* () {
      const pool = yield* WorkerPool
      const origins = [0, 399, 400, 999]
      const result = yield* pool.run("exhaustive-top", { codes: ref, origins, top: 10, match: DEFAULT_MATCH_CONFIG })
      const enc = encodeProfileCodes(chunks, ROWS)
      expect(result.matches).toEqual(origins.map((o) => topMatchesEncoded(enc, o, DEFAULT_MATCH_CONFIG, 10).matches))
      const outside = yield* Effect.flip(pool.run("exhaustive-top", { codes: ref, origins: [ROWS], top: 10, match: DEFAULT_MATCH_CONFIG }))
      expect(outside.message).toMatch(/outside the 1000 profiles/)
    }).pipe(Effect.provide(poolLayer(2)))
  )
})
