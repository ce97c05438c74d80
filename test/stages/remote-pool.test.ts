/**
 * The data stages on a remote WorkerPool (tasks on another host, no shared filesystem): a pool
 * that runs tasks inline but says `remote: true`, and fails any task whose input names a file (a
 * string under the run's output directory, or any absolute path that exists here), writes every
 * file byte for byte as the plain inline pool does; and every call carries a chunk key
 * `<cache key>/<n>`, distinct within its stage, for the cluster engine to recognise a re-sent chunk.
 * The tasks' remote variants (on two threads, as a runner runs them) give what their file variants
 * give.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { isAbsolute, join, relative } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, FiberRef, Layer, Option } from "effect"
import Database from "better-sqlite3"
import { DEFAULT_MATCH_CONFIG } from "../../src/domain/matching/index.js"
import { ExhaustiveTopTask } from "../../src/artifacts/exhaustive-top-tasks.js"
import { readCodesBytes } from "../../src/artifacts/profile-table-codes.js"
import { BuildProfileChunk, WriteProfileChunk } from "../../src/artifacts/profile-table-tasks.js"
import { ProfileChunkEmbeddings, ProfileChunkFeatures } from "../../src/artifacts/vector-matrix-writer-tasks.js"
import { SqliteLive } from "../../src/layers/sqlite/service.js"
import { currentChunkKey } from "../../src/layers/workers/chunk-key.js"
import { WorkerTaskError } from "../../src/layers/workers/errors.js"
import { WorkerPoolInline } from "../../src/layers/workers/inline.js"
import { WorkerPool } from "../../src/layers/workers/service.js"
import { makeRegistry } from "../../src/runtime/registry.js"
import type { WorkerTask } from "../../src/runtime/worker-task.js"
import type { Sqlite } from "../../src/services/sqlite.js"
import { dataKinds } from "../../src/stages/profiles/data-kinds.js"
import { matchExhaustive } from "../../src/stages/profiles/match-exhaustive.js"
import { memoryLedger, outcomes, runPipelineWith, tempDir, writePipeline } from "../runtime/harness.js"
import { writeCodesFixture } from "../artifacts/codes-fixture.js"
import { poolLayer } from "../layers/workers/data-pipeline.js"

const registry = makeRegistry<Sqlite | WorkerPool>([...dataKinds, matchExhaustive])

const PIPELINE = `
pipeline: remote
layers: { store: { dir: $OUT } }
stages:
  profiles: { uses: generate-profiles, with: { count: 2500, chunkSize: 1000, seed: 9 } }
  vectors: { uses: feature-vectors, needs: [profiles] }
  embeddings: { uses: embeddings, needs: [profiles], with: { dim: 16, mode: attributes } }
  exhaustive: { uses: match-exhaustive, inputs: { profiles: profiles }, with: { origins: 30, top: 5 } }
`

const inline = Effect.runSync(Effect.provide(WorkerPool, WorkerPoolInline.layer))

/** The strings in a task's input (bytes are skipped: they are data, not names). */
const stringsIn = (value: unknown): Array<string> => {
  if (typeof value === "string") return [value]
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return []
  return Object.values(value).flatMap(stringsIn)
}

interface Call {
  readonly task: string
  readonly key: Option.Option<string>
}

/** The inline pool, marked remote; fails a task whose input names a file; records each call's chunk key. */
const remotePool = (outDir: string, calls: Array<Call>) =>
  Layer.succeed(WorkerPool, {
    size: 2,
    remote: true,
    run: <I, O>(task: WorkerTask<I, O>, input: I) =>
      Effect.gen(function* () {
        calls.push({ task: task.name, key: yield* FiberRef.get(currentChunkKey) })
        const named = stringsIn(input).filter((s) => s.startsWith(outDir) || (isAbsolute(s) && existsSync(s)))
        if (named.length > 0) {
          return yield* new WorkerTaskError({ task: task.name, reason: "TaskFailed", message: `a remote task cannot read ${named.join(", ")}` })
        }
        return yield* inline.run(task, input)
      })
  })

/** Every file under `dir`, by path relative to it, with its bytes. */
const filesUnder = (dir: string): Map<string, Buffer> => {
  const files = new Map<string, Buffer>()
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name)
      if (entry.isDirectory()) walk(path)
      else files.set(relative(dir, path), readFileSync(path))
    }
  }
  walk(dir)
  return files
}

const runWith = (pool: "inline" | Array<Call>) =>
  Effect.gen(function* () {
    const dir = tempDir("remote-pool-")
    const out = join(dir, "out")
    const services = Layer.merge(SqliteLive.layer, pool === "inline" ? WorkerPoolInline.layer : remotePool(out, pool))
    const report = yield* runPipelineWith(writePipeline(dir, PIPELINE), { ledger: memoryLedger(), registry, services, concurrency: 2 })
    expect(outcomes(report)).toEqual({ profiles: "succeeded", vectors: "succeeded", embeddings: "succeeded", exhaustive: "succeeded" })
    // What the stages wrote (runs/ holds the run's event log: times, ids).
    return filesUnder(join(out, "stages"))
  })

describe("the data stages on a remote pool", () => {
  it.live("write the same bytes as on the inline pool, sending no path, every call keyed by its stage's cache key and chunk", () =>
    Effect.gen(function* () {
      const reference = yield* runWith("inline")
      const calls: Array<Call> = []
      const remote = yield* runWith(calls)

      expect([...remote.keys()].sort()).toEqual([...reference.keys()].sort())
      expect(reference.size).toBeGreaterThan(4)
      for (const [path, bytes] of reference) expect(remote.get(path)?.equals(bytes), path).toBe(true)

      const byTask = new Map<string, Array<string>>()
      for (const call of calls) {
        expect(Option.isSome(call.key), `${call.task} without a chunk key`).toBe(true)
        byTask.set(call.task, [...(byTask.get(call.task) ?? []), Option.getOrThrow(call.key)])
      }
      // 3 chunks of profiles, features and embeddings each; the exhaustive origins in slices.
      expect([...byTask.keys()].sort()).toEqual(["match/exhaustive-top", "profiles/build-chunk", "profiles/chunk-embeddings", "profiles/chunk-features"])
      const cacheKeys = new Set<string>()
      for (const [task, keys] of byTask) {
        const parsed = keys.map((key) => /^(.+)\/(\d+)$/.exec(key))
        for (const [i, match] of parsed.entries()) expect(match, `${task}: ${keys[i]}`).not.toBeNull()
        // One cache key per stage, a distinct chunk per call.
        expect(new Set(parsed.map((m) => m![1])).size, task).toBe(1)
        expect(new Set(keys).size, task).toBe(keys.length)
        cacheKeys.add(parsed[0]![1]!)
        const chunks = parsed.map((m) => Number(m![2])).sort((a, b) => a - b)
        expect(chunks, task).toEqual(Array.from({ length: keys.length }, (_, i) => i))
        if (task !== "match/exhaustive-top") expect(keys.length, task).toBe(3)
      }
      expect(cacheKeys.size).toBe(4)
    })
  )
})

describe("the remote variants of the data tasks (2 threads)", () => {
  const { ref } = writeCodesFixture("remote-tasks-")
  const hex = (bytes: ArrayBufferLike | ArrayBufferView) =>
    Buffer.from(ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes)).toString("hex")
  const rowsOf = (file: string) => {
    const db = new Database(file, { readonly: true })
    try {
      return db.prepare("SELECT * FROM profiles ORDER BY id").raw().all()
    } finally {
      db.close()
    }
  }

  it.live("build-chunk's database holds write-chunk's rows, with the same codes and digest", () =>
    Effect.gen(function* () {
      const pool = yield* WorkerPool
      const dir = tempDir("remote-build-")
      const chunk = { seed: 11, locale: "pt_BR" as const, chunk: 2, firstId: 801, count: 200 }
      const written = yield* pool.run(WriteProfileChunk, { ...chunk, rowsFile: join(dir, "written.sqlite") })
      const built = yield* pool.run(BuildProfileChunk, chunk)
      expect(hex(built.codes)).toBe(hex(written.codes))
      expect(built.rowsDigest).toBe(written.rowsDigest)
      writeFileSync(join(dir, "built.sqlite"), built.rowsDatabase)
      const rows = rowsOf(join(dir, "written.sqlite"))
      expect(rows).toHaveLength(200)
      expect(rowsOf(join(dir, "built.sqlite"))).toEqual(rows)
    }).pipe(Effect.scoped, Effect.provide(poolLayer(2)))
  )

  it.live("vectors and exhaustive tops from codes bytes equal those from the codes file", () =>
    Effect.gen(function* () {
      const pool = yield* WorkerPool
      for (const chunk of [0, 2]) {
        const bytes = yield* readCodesBytes(ref, chunk, chunk + 1)
        expect(hex((yield* pool.run(ProfileChunkFeatures, { codes: bytes, chunk })).values)).toBe(hex((yield* pool.run(ProfileChunkFeatures, { codes: ref, chunk })).values))
        const embeddings = { chunk, dim: 16, mode: "attributes" as const, seed: 4 }
        expect((yield* pool.run(ProfileChunkEmbeddings, { codes: bytes, ...embeddings })).digest).toBe((yield* pool.run(ProfileChunkEmbeddings, { codes: ref, ...embeddings })).digest)
        // Bytes of one chunk hold no other.
        const other = yield* Effect.flip(pool.run(ProfileChunkFeatures, { codes: bytes, chunk: 1 }))
        expect(other.message).toMatch(/chunk 1 is not in the codes of rows/)
      }
      const tops = { origins: [0, 399, 999], top: 5, match: DEFAULT_MATCH_CONFIG }
      const all = yield* readCodesBytes(ref)
      expect((yield* pool.run(ExhaustiveTopTask, { codes: all, ...tops })).matches).toEqual((yield* pool.run(ExhaustiveTopTask, { codes: ref, ...tops })).matches)
    }).pipe(Effect.scoped, Effect.provide(poolLayer(2)))
  )
})
