/**
 * What every WorkerPool must do, whichever backend (inline, threads, the cluster engine): the
 * same results for every shipped task under concurrency, and every failure a WorkerTaskError
 * naming the task, after which the pool keeps working. Each backend's test file provides its
 * layer and adds what only it can show.
 */
import { createHash } from "node:crypto"
import { join } from "node:path"
import { expect } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { DEFAULT_MATCH_CONFIG } from "../../../src/domain/matching/index.js"
import { ExhaustiveTopTask } from "../../../src/artifacts/exhaustive-top-tasks.js"
import { type CodesFileRef, readCodesBytes } from "../../../src/artifacts/profile-table-codes.js"
import { BuildProfileChunk, WriteProfileChunk } from "../../../src/artifacts/profile-table-tasks.js"
import { ProfileChunkEmbeddings, ProfileChunkFeatures } from "../../../src/artifacts/vector-matrix-writer-tasks.js"
import { WorkerPool } from "../../../src/layers/workers/service.js"
import { defineWorkerTask } from "../../../src/runtime/worker-task.js"
import { writeCodesFixture } from "../../artifacts/codes-fixture.js"
import { tempDir } from "../../runtime/harness.js"
import { BadOutput, Fail, Where } from "./test-tasks.js"

export const CHUNK = 300
/** Five chunks of profile codes (seed 7), the input of the shipped vector tasks. */
export const codes: CodesFileRef = writeCodesFixture("pool-contract-", { seed: 7, chunk: CHUNK, rows: 5 * CHUNK }).ref

export const hex = (bytes: ArrayBufferLike | ArrayBufferView) =>
  Buffer.from(ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes)).toString("hex")

/** Every shipped task on five chunks, submitted in reverse order, all at once; results in chunk order. */
export const everyShippedTask = Effect.gen(function* () {
  const p = yield* WorkerPool
  const scratch = tempDir("pool-rows-")
  const allCodes = yield* Effect.orDie(readCodesBytes(codes))
  const results = yield* Effect.forEach(
    [4, 3, 2, 1, 0],
    (chunk) =>
      Effect.gen(function* () {
        // The remote-pool forms too: the rows database as bytes, the codes sent in the input.
        const chunkCodes = yield* Effect.orDie(readCodesBytes(codes, chunk, chunk + 1))
        return yield* Effect.all({
          rows: p.run(WriteProfileChunk, { seed: 7, locale: "pt_BR", chunk, firstId: chunk * CHUNK + 1, count: CHUNK, rowsFile: join(scratch, `chunk-${chunk}.sqlite`) }),
          built: p.run(BuildProfileChunk, { seed: 7, locale: "pt_BR", chunk, firstId: chunk * CHUNK + 1, count: CHUNK }),
          features: p.run(ProfileChunkFeatures, { codes, chunk }),
          featuresFromBytes: p.run(ProfileChunkFeatures, { codes: chunkCodes, chunk }),
          embeddings: p.run(ProfileChunkEmbeddings, { codes, chunk, dim: 24, mode: "attributes", seed: 3 }),
          embeddingsFromBytes: p.run(ProfileChunkEmbeddings, { codes: chunkCodes, chunk, dim: 24, mode: "attributes", seed: 3 })
        })
      }),
    { concurrency: "unbounded" }
  )
  const origins = [0, 299, 300, 1499]
  const tops = yield* p.run(ExhaustiveTopTask, { codes, origins, top: 5, match: DEFAULT_MATCH_CONFIG })
  const topsFromBytes = yield* p.run(ExhaustiveTopTask, { codes: allCodes, origins, top: 5, match: DEFAULT_MATCH_CONFIG })
  for (const r of results) {
    expect([hex(r.built.codes), r.built.rowsDigest]).toEqual([hex(r.rows.codes), r.rows.rowsDigest])
    expect(r.featuresFromBytes.digest).toBe(r.features.digest)
    expect(r.embeddingsFromBytes.digest).toBe(r.embeddings.digest)
  }
  expect(topsFromBytes).toEqual(tops)
  return {
    chunks: results.reverse().map((r) => ({
      codes: hex(r.rows.codes),
      rowsDigest: r.rows.rowsDigest,
      built: [hex(r.built.codes), r.built.rowsDigest, createHash("sha256").update(r.built.rowsDatabase).digest("hex")],
      features: [hex(r.features.values), r.features.digest],
      featuresFromBytes: [hex(r.featuresFromBytes.values), r.featuresFromBytes.digest],
      embeddings: [hex(r.embeddings.values), r.embeddings.digest],
      embeddingsFromBytes: [hex(r.embeddingsFromBytes.values), r.embeddingsFromBytes.digest]
    })),
    tops,
    topsFromBytes
  }
})

/** A throw, bad input (twice) and bad output: each a WorkerTaskError naming the task; the pool still works. */
export const failuresNameTheTask = Effect.gen(function* () {
  const p = yield* WorkerPool
  const thrown = yield* Effect.flip(p.run(Fail, "on purpose"))
  expect(thrown).toMatchObject({ _tag: "WorkerTaskError", task: "test/fail", reason: "TaskFailed" })
  expect(thrown.message).toBe("task 'test/fail' failed: boom: on purpose")
  const badInput = yield* Effect.flip(p.run(Where, { n: 1.5 }))
  expect(badInput).toMatchObject({ task: "test/where", reason: "InvalidInput" })
  expect(badInput.message).toMatch(/^task 'test\/where': invalid input: /)
  const badLocale = yield* Effect.flip(p.run(WriteProfileChunk, { seed: 1, locale: "en_US" as "pt_BR", chunk: 0, firstId: 1, count: 1, rowsFile: "x" }))
  expect(badLocale.message).toMatch(/profiles\/write-chunk.*pt_BR/s)
  const badOutput = yield* Effect.flip(p.run(BadOutput, undefined))
  expect(badOutput).toMatchObject({ task: "test/bad-output", reason: "InvalidOutput" })
  expect((yield* p.run(Where, { n: 2 })).doubled).toBe(4)
})

/** A task whose module cannot load, and one its module does not export: each named in its error. */
export const unknownTasksNameTheTask = Effect.gen(function* () {
  const p = yield* WorkerPool
  const missing = defineWorkerTask({
    name: "test/missing-module",
    module: new URL("./no-such-module.js", import.meta.url).href,
    input: Schema.Void,
    output: Schema.Void,
    run: () => undefined
  })
  const noModule = yield* Effect.flip(p.run(missing, undefined))
  expect(noModule).toMatchObject({ task: "test/missing-module", reason: "UnknownModule" })
  expect(noModule.message).toMatch(/^task 'test\/missing-module': cannot load its module .*no-such-module\.js/)
  // Defined here with test-tasks.ts as its module, which does not export it.
  const unexported = defineWorkerTask({ name: "test/unexported", module: Where.module, input: Schema.Void, output: Schema.Void, run: () => undefined })
  const noTask = yield* Effect.flip(p.run(unexported, undefined))
  expect(noTask).toMatchObject({ task: "test/unexported", reason: "UnknownTask" })
  expect(noTask.message).toMatch(/exports no worker task of that name \(it exports: .*test\/fill.*test\/where\)/)
  expect((yield* p.run(Where, { n: 2 })).doubled).toBe(4)
})
