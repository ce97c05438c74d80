/**
 * match-eval on a small world built here: 3,000 generated profiles (3 chunks of 1,000, ids from 1)
 * as a profile table (a SQLite file and its codes file), embeddings of both modes as matrix files,
 * an exact `IDMap,Flat` FAISS index per mode through the Faiss service (native backend), and the
 * exhaustive top of a seeded origin sample from a match-exhaustive stage, which both evaluation
 * kinds take as an input.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import Database from "better-sqlite3"
import { Effect, Layer, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { DEFAULT_MATCH_CONFIG, matchScore, rankCandidates, type MatchProfile } from "../../src/domain/matching/index.js"
import { BYTES_PER_PROFILE, generateChunk, profileAt, type Profile, type ProfileChunk } from "../../src/domain/profile/index.js"
import { embeddingsInto, type EmbeddingMode } from "../../src/domain/vectors/index.js"
import { type ExhaustiveTopDescriptor, readExhaustiveTop } from "../../src/artifacts/exhaustive-top.js"
import type { ProfileTableDescriptor } from "../../src/artifacts/profile-table.js"
import { ArtifactStoreFs } from "../../src/layers/artifact-store/fs-artifact-store.js"
import { Faiss, FaissNative } from "../../src/layers/faiss/index.js"
import type { WorkerPool } from "../../src/layers/workers/service.js"
import type { ArtifactDescriptor } from "../../src/runtime/artifact.js"
import { Checkpoint } from "../../src/runtime/services/checkpoint.js"
import { StageProgress } from "../../src/runtime/services/progress.js"
import type { StageKind } from "../../src/runtime/stage-kind.js"
import { exactSearchMatrix } from "../../src/stages/profiles/faiss-exact-search.js"
import { matchEval, matchEvalExact } from "../../src/stages/profiles/match-eval.js"
import { sampleRows } from "../../src/stages/profiles/match-evaluate.js"
import { matchExhaustive } from "../../src/stages/profiles/match-exhaustive.js"
import { MatchEvalResult } from "../../src/stages/profiles/match-result.js"
import { poolLayer, type PoolChoice } from "../layers/workers/data-pipeline.js"

const SEED = 7
const ROWS = 3000
const CHUNK = 1000
const FIRST_ID = 1
const DIM = 64

const dir = mkdtempSync(join(tmpdir(), "match-eval-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const chunks: Array<ProfileChunk> = []
for (let c = 0; c * CHUNK < ROWS; c++) chunks.push(generateChunk(SEED, c, FIRST_ID + c * CHUNK, CHUNK, "pt_BR"))
const records: Array<Profile> = chunks.flatMap((c) => Array.from({ length: c.count }, (_, i) => profileAt(c, i)))
const byId = new Map(records.map((p) => [p.id, p]))
const matchProfile = (p: Profile): MatchProfile => ({
  platforms: p.platforms,
  availability: p.availability,
  games: p.favouriteGames,
  styles: p.playStyles,
  interaction: p.desiredInteraction
})

const profileTable: ProfileTableDescriptor = {
  kind: "profile-table",
  digest: "p",
  path: join(dir, "profiles.sqlite"),
  table: "profiles",
  rows: ROWS,
  seed: SEED,
  locale: "pt_BR",
  chunkSize: CHUNK,
  codes: { path: join(dir, "profiles.codes"), bytesPerProfile: BYTES_PER_PROFILE }
}

const writeProfiles = () => {
  writeFileSync(profileTable.codes.path, Buffer.concat(chunks.map((c) => new Uint8Array(c.buffer))))
  const db = new Database(profileTable.path)
  db.exec("CREATE TABLE profiles (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER, city TEXT)")
  const insert = db.prepare("INSERT INTO profiles (id, name, age, city) VALUES (?, ?, ?, ?)")
  db.transaction(() => {
    for (const p of records) insert.run(p.id, p.name, p.age, p.city)
  })()
  db.close()
}

const writeEmbeddings = (mode: EmbeddingMode) => {
  const values = new Float32Array(ROWS * DIM)
  const scratch = new Float32Array(CHUNK * DIM)
  chunks.forEach((c, k) => {
    embeddingsInto(c, DIM, mode, SEED, scratch)
    values.set(scratch.subarray(0, c.count * DIM), k * CHUNK * DIM)
  })
  const ids = BigInt64Array.from(records, (p) => BigInt(p.id))
  const path = join(dir, `${mode}.f32`)
  const idsPath = join(dir, `${mode}.ids`)
  writeFileSync(path, new Uint8Array(values.buffer))
  writeFileSync(idsPath, new Uint8Array(ids.buffer))
  return {
    descriptor: {
      kind: "vector-matrix" as const,
      digest: mode,
      path,
      idsPath,
      rows: ROWS,
      dim: DIM,
      dbPath: join(dir, "unused.sqlite"),
      table: "embeddings",
      content: `embeddings:${mode}`,
      normalized: true
    },
    values,
    ids
  }
}

const writeIndex = (mode: EmbeddingMode, values: Float32Array, ids: BigInt64Array) =>
  Effect.scoped(
    Effect.gen(function* () {
      const faiss = yield* Faiss
      const index = yield* faiss.createIndex({ dim: DIM, factory: "IDMap,Flat", metric: "ip" })
      yield* index.addWithIds(values, ids)
      const path = join(dir, `${mode}.index`)
      yield* index.write(path)
      return {
        kind: "ann-index" as const,
        digest: `${mode}-index`,
        path,
        factory: "IDMap,Flat",
        metric: "ip" as const,
        rows: ROWS,
        dim: DIM,
        searchParameters: {},
        recallAt10: 1
      }
    })
  ).pipe(Effect.provide(FaissNative))

const stageLayer = (messages: Array<string>, pool: PoolChoice = "inline") =>
  Layer.mergeAll(
    ArtifactStoreFs.layer(dir),
    FaissNative,
    poolLayer(pool),
    Layer.succeed(Checkpoint, { committed: Effect.succeed(new Map()), commit: () => Effect.void }),
    Layer.succeed(StageProgress, {
      setTotal: () => Effect.void,
      advance: () => Effect.void,
      message: (m: string) => Effect.sync(() => void messages.push(m))
    })
  )

let workDirs = 0

/** Runs one kind's `run` with `config` decoded by its schema, in a new work dir. */
const runStage = <A extends ArtifactDescriptor>(
  kind: StageKind<Faiss | WorkerPool>,
  config: unknown,
  inputs: Readonly<Record<string, ArtifactDescriptor>>,
  messages: Array<string> = [],
  pool: PoolChoice = "inline"
) =>
  Effect.gen(function* () {
    const workDir = join(dir, `work-${kind.name}-${workDirs++}`)
    mkdirSync(workDir, { recursive: true })
    const decoded = yield* Schema.decodeUnknown(kind.config)(config)
    const artifact = yield* kind.run({ stageId: kind.name, runId: "r", attempt: 1, config: decoded, inputs, workDir, cacheKey: "k" })
    return artifact as A
  }).pipe(Effect.scoped, Effect.provide(stageLayer(messages, pool)))

const exhaustiveOf = (config: Record<string, unknown>, pool: PoolChoice = "inline") =>
  runStage<ExhaustiveTopDescriptor>(matchExhaustive, config, { profiles: profileTable }, [], pool)

const readEval = (artifact: ArtifactDescriptor) =>
  Schema.decodeUnknownSync(MatchEvalResult)(JSON.parse(readFileSync((artifact as unknown as { path: string }).path, "utf8")))

const runEval = (mode: EmbeddingMode, exhaustiveConfig: Record<string, unknown>, config: Record<string, unknown> = {}) =>
  Effect.gen(function* () {
    const emb = writeEmbeddings(mode)
    const index = yield* writeIndex(mode, emb.values, emb.ids)
    const exhaustive = yield* exhaustiveOf(exhaustiveConfig)
    const messages: Array<string> = []
    const artifact = yield* runStage(matchEval, config, { profiles: profileTable, embeddings: emb.descriptor, index, exhaustive }, messages)
    return { artifact, json: readEval(artifact), messages, exhaustive }
  })

let attributes: Effect.Effect.Success<ReturnType<typeof runEval>>
let seedRandom: Effect.Effect.Success<ReturnType<typeof runEval>>

beforeAll(async () => {
  writeProfiles()
  attributes = await Effect.runPromise(runEval("attributes", { origins: 40 }))
  seedRandom = await Effect.runPromise(runEval("seed-random", { origins: 40 }))
})

describe("match-eval", () => {
  it("samples distinct origins, seeded", () => {
    const a = sampleRows(1_000_000, 200, 42)
    expect(new Set(a).size).toBe(200)
    expect(a).toEqual(sampleRows(1_000_000, 200, 42))
    expect(a).not.toEqual(sampleRows(1_000_000, 200, 43))
    expect(sampleRows(5, 10, 1)).toEqual([0, 1, 2, 3, 4])
  })

  it("ANN results exclude the origin, are sorted by score and score as the domain function", () => {
    const { json } = attributes
    expect(json.results).toHaveLength(40)
    expect(json.embeddingContent).toBe("embeddings:attributes")
    for (const r of json.results) {
      expect(r.candidates).toBe(251)
      expect(r.ann.length).toBeLessThanOrEqual(10)
      const origin = byId.get(r.id)!
      for (let i = 0; i < r.ann.length; i++) {
        const m = r.ann[i]!
        expect(m.id).not.toBe(r.id)
        if (i > 0) expect(m.score).toBeLessThanOrEqual(r.ann[i - 1]!.score)
        expect(m.score).toBe(matchScore(matchProfile(origin), matchProfile(byId.get(m.id)!)).score)
      }
      for (const m of r.exhaustive) expect(m.id).not.toBe(r.id)
    }
  })

  it("the exhaustive stage samples the origins, writes a stable file, and gives the same tops on two threads", async () => {
    const { exhaustive, json } = attributes
    const file = await Effect.runPromise(readExhaustiveTop(exhaustive))
    expect(file.origins).toEqual(sampleRows(ROWS, 40, 42))
    expect(json.results.map((r) => r.id)).toEqual(file.origins.map((row) => row + FIRST_ID))
    expect(exhaustive).toMatchObject({ kind: "exhaustive-top", rows: ROWS, origins: 40, top: 10 })
    const threads = await Effect.runPromise(exhaustiveOf({ origins: 40 }, 2))
    expect(threads.digest).toBe(exhaustive.digest)
    expect(readFileSync(threads.path, "utf8")).toBe(readFileSync(exhaustive.path, "utf8"))
    expect(exhaustive.digest).toBe(seedRandom.exhaustive.digest)
  })

  it("refuses an exhaustive top over another table", async () => {
    const emb = writeEmbeddings("attributes")
    const index = await Effect.runPromise(writeIndex("attributes", emb.values, emb.ids))
    const exhaustive = { ...attributes.exhaustive, rows: ROWS - 1 }
    const failed = await Effect.runPromise(
      Effect.flip(runStage(matchEval, {}, { profiles: profileTable, embeddings: emb.descriptor, index, exhaustive }))
    )
    expect((failed as { readonly message: string }).message).toMatch(/searched over 2999 profiles, the table holds 3000/)
  })

  it("the exhaustive top 10 equals rankCandidates over all profiles", () => {
    for (const r of attributes.json.results.slice(0, 3)) {
      const origin = byId.get(r.id)!
      const ranking = rankCandidates(
        { id: origin.id, profile: matchProfile(origin) },
        records.map((p) => ({ id: p.id, profile: matchProfile(p) })),
        { top: 10, config: DEFAULT_MATCH_CONFIG }
      )
      expect(r.exhaustive).toEqual(ranking.matches.map((m) => ({ id: m.id, score: m.breakdown.score })))
    }
  })

  it("figures are within their ranges; recall in [0, 1]", () => {
    for (const { json } of [attributes, seedRandom]) {
      const f = json.figures
      expect(f.origins).toBe(40)
      expect(f.scoreRecall).toBeGreaterThanOrEqual(f.recall)
      for (const x of [f.recall, f.scoreRecall, f.candidateGatePassShare, f.annFullShare, f.exhaustiveFullShare]) {
        expect(x).toBeGreaterThanOrEqual(0)
        expect(x).toBeLessThanOrEqual(1)
      }
      for (const r of json.results) {
        if (r.recall !== null) expect(r.recall).toBeGreaterThanOrEqual(0)
        if (r.recall !== null) expect(r.recall).toBeLessThanOrEqual(1)
        if (r.recall !== null) expect(r.scoreRecall!).toBeGreaterThanOrEqual(r.recall)
      }
      // The exhaustive list is the best possible: its mean top score is never below ANN's.
      expect(f.exhaustiveMeanTopScore).toBeGreaterThanOrEqual(f.annMeanTopScore)
    }
  })

  it("attributes embeddings beat seed-random on gate-pass share and recall", () => {
    const a = attributes.json.figures
    const s = seedRandom.json.figures
    console.log(
      `match-eval 3000 profiles, 40 origins: attributes gate-pass ${a.candidateGatePassShare.toFixed(3)} recall ${a.recall.toFixed(3)} tie-aware ${a.scoreRecall.toFixed(3)} ` +
        `ann mean ${a.annMeanTopScore.toFixed(3)} exh mean ${a.exhaustiveMeanTopScore.toFixed(3)} full ${a.annFullShare}; ` +
        `seed-random gate-pass ${s.candidateGatePassShare.toFixed(3)} recall ${s.recall.toFixed(3)} tie-aware ${s.scoreRecall.toFixed(3)} ` +
        `ann mean ${s.annMeanTopScore.toFixed(3)} full ${s.annFullShare}`
    )
    expect(a.candidateGatePassShare).toBeGreaterThan(s.candidateGatePassShare)
    expect(a.recall).toBeGreaterThan(s.recall)
    expect(a.scoreRecall).toBeGreaterThan(s.scoreRecall)
    expect(attributes.messages.some((m) => m.includes("embeddings:attributes"))).toBe(true)
  })

  it("takes match weights and gates through the config schema", async () => {
    const strict = await Effect.runPromise(runEval("attributes", { origins: 10, top: 5, match: { gates: { platforms: 0.5 } } }, { candidates: 50 }))
    expect(strict.json.config).toMatchObject({ origins: 10, top: 5, candidates: 50, seed: 42 })
    expect(strict.json.config.match).toMatchObject({ gates: { platforms: 0.5, availability: 0.3 } })
    for (const r of strict.json.results) {
      expect(r.candidates).toBe(50)
      expect(r.ann.length).toBeLessThanOrEqual(5)
      expect(r.exhaustive.length).toBeLessThanOrEqual(5)
    }
    const bad = await Effect.runPromise(
      Effect.either(Schema.decodeUnknown(matchExhaustive.config)({ match: { weights: { platforms: 1, availability: 1, games: 0, styles: 0, interaction: 0 } } }))
    )
    expect(bad._tag).toBe("Left")
  })
})

describe("match-eval-exact", () => {
  it("block-by-block exact search over the matrix equals a flat index's search", async () => {
    const emb = writeEmbeddings("attributes")
    const queries = emb.values.slice(0, 25 * DIM)
    const [blocks, flat] = await Effect.runPromise(
      Effect.gen(function* () {
        // 700-row blocks: the 3,000 rows take five blocks, so the merge across blocks is exercised.
        const blocks = yield* exactSearchMatrix(emb.descriptor, queries, 30, "ip", 700)
        const flat = yield* Effect.scoped(
          Effect.gen(function* () {
            const faiss = yield* Faiss
            const index = yield* faiss.createIndex({ dim: DIM, factory: "IDMap,Flat", metric: "ip" })
            yield* index.addWithIds(emb.values, emb.ids)
            return yield* index.search(queries, 30)
          })
        )
        return [blocks, flat] as const
      }).pipe(Effect.provide(FaissNative))
    )
    expect(blocks.k).toBe(30)
    expect(Array.from(blocks.labels)).toEqual(Array.from(flat.labels))
    for (let i = 0; i < flat.distances.length; i++) expect(blocks.distances[i]).toBeCloseTo(flat.distances[i]!, 5)
  })

  it("gives the same evaluation as match-eval over an exact index", async () => {
    const emb = writeEmbeddings("seed-random")
    const artifact = await Effect.runPromise(
      runStage(matchEvalExact, {}, { profiles: profileTable, embeddings: emb.descriptor, exhaustive: seedRandom.exhaustive })
    )
    const result = readEval(artifact)
    expect(result.index.recallAt10).toBe(1)
    expect(result.results.map((r) => r.exhaustive)).toEqual(seedRandom.json.results.map((r) => r.exhaustive))
    // Seed-random vectors repeat (equal seed strings), so equal inner products may order differently:
    // compare what ties cannot change.
    expect(result.figures.candidateGatePassShare).toBeCloseTo(seedRandom.json.figures.candidateGatePassShare, 2)
    expect(result.results.map((r) => r.candidates)).toEqual(seedRandom.json.results.map((r) => r.candidates))
  })
})
