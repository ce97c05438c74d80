/**
 * Resume of the data stages: a run whose worker pool fails mid-way (after some chunks committed)
 * and a rerun with a healthy pool give the same digests as an uninterrupted run, with no row missing
 * or doubled; rows beyond the committed chunks (which a transaction cannot leave, but a hand-edited
 * file could) are removed before resuming.
 */
import { readdirSync } from "node:fs"
import { join } from "node:path"
import Database from "better-sqlite3"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqliteLive } from "../../src/layers/sqlite/service.js"
import { WorkerTaskError } from "../../src/layers/workers/errors.js"
import { WorkerPoolInline } from "../../src/layers/workers/inline.js"
import { WorkerPool } from "../../src/layers/workers/service.js"
import type { WorkerTask } from "../../src/runtime/worker-task.js"
import { memoryLedger, runPipelineWith, tempDir } from "../runtime/harness.js"
import { artifactOf, dataRegistry, runData, writeDataPipeline } from "../layers/workers/data-pipeline.js"

const inline = Effect.runSync(Effect.provide(WorkerPool, WorkerPoolInline.layer))

/** An inline pool whose tasks fail when `broken` says so (given the task's name and chunk). */
const flakyPool = (broken: (task: string, chunk: number) => boolean) =>
  Layer.merge(
    SqliteLive.layer,
    Layer.succeed(WorkerPool, {
      size: 2,
      run: <I, O>(task: WorkerTask<I, O>, input: I) => {
        const chunk = (input as { readonly chunk?: number }).chunk ?? -1
        return broken(task.name, chunk)
          ? Effect.fail(new WorkerTaskError({ task: task.name, reason: "TaskFailed", message: `injected failure at chunk ${chunk}` }))
          : inline.run(task, input)
      }
    })
  )

const OPTIONS = { count: 4_000, chunkSize: 500, seed: 5, dim: 16 }

interface Described {
  readonly digest: string
  readonly path: string
  readonly dbPath: string
}

const uninterrupted = Effect.gen(function* () {
  const ledger = memoryLedger()
  const dir = tempDir("data-ref-")
  const report = yield* runData(writeDataPipeline(dir, OPTIONS), ledger, "inline")
  expect(report.status).toBe("succeeded")
  return {
    profiles: yield* artifactOf<Described>(ledger, "profiles", join(dir, "out")),
    vectors: yield* artifactOf<Described>(ledger, "vectors", join(dir, "out")),
    embeddings: yield* artifactOf<Described>(ledger, "embeddings", join(dir, "out"))
  }
})

const countRows = (path: string, table: string) => {
  const db = new Database(path, { readonly: true })
  try {
    return db.prepare(`SELECT count(*) AS n, count(DISTINCT id) AS d, max(id) AS hi FROM ${table}`).get()
  } finally {
    db.close()
  }
}

const journalMode = (path: string) => {
  const db = new Database(path, { readonly: true })
  try {
    return db.pragma("journal_mode", { simple: true })
  } finally {
    db.close()
  }
}

describe("resuming the data stages", () => {
  it.live("generate-profiles fails at chunk 3, resumes at chunk 3, same digests, no row missing or doubled", () =>
    Effect.gen(function* () {
      const reference = yield* uninterrupted
      const dir = tempDir("data-resume-")
      const file = writeDataPipeline(dir, OPTIONS)
      const ledger = memoryLedger()
      const failing = yield* runPipelineWith(file, {
        ledger,
        registry: dataRegistry,
        services: flakyPool((task, chunk) => task === "profiles/write-chunk" && chunk === 3),
        concurrency: 3
      })
      expect(failing.status).toBe("failed")
      const failed = failing.stages.find((s) => s.id === "profiles")
      expect(failed?.outcome).toBe("failed")
      expect(failed?.detail).toMatch(/injected failure at chunk 3/)

      // Chunks 0..2 are committed; plant rows beyond them as a torn write would have.
      const base = join(dir, "out", "stages", "profiles")
      const path = join(base, readdirSync(base)[0] as string, "profiles.sqlite")
      const db = new Database(path)
      expect(db.prepare("SELECT count(*) AS n FROM _chunks").get()).toEqual({ n: 3 })
      expect(db.prepare("SELECT count(*) AS n FROM profiles").get()).toEqual({ n: 1_500 })
      db.prepare("INSERT INTO profiles SELECT id + 1500, name, age, city, state, sex, music_genres, games, platforms, play_styles, availability, interaction, shares_contact, description, years_of_experience, main_goal, uses_microphone, languages, competitive_level, communication_style FROM profiles WHERE id <= 10").run()
      db.close()

      const resumed = yield* runData(file, ledger, "inline")
      expect(resumed.status).toBe("succeeded")
      expect(resumed.stages.find((s) => s.id === "profiles")?.resumedChunks).toBe(3)
      const profiles = yield* artifactOf<Described>(ledger, "profiles", join(dir, "out"))
      expect(profiles.digest).toBe(reference.profiles.digest)
      expect(countRows(profiles.path, "profiles")).toEqual({ n: 4_000, d: 4_000, hi: 4_000 })
      // Loaded with a rollback journal, finished in WAL mode for readers (open.ts).
      expect(journalMode(profiles.path)).toBe("wal")
      expect(journalMode((yield* artifactOf<Described>(ledger, "embeddings", join(dir, "out"))).dbPath)).toBe("wal")
      expect((yield* artifactOf<Described>(ledger, "vectors", join(dir, "out"))).digest).toBe(reference.vectors.digest)
      expect((yield* artifactOf<Described>(ledger, "embeddings", join(dir, "out"))).digest).toBe(reference.embeddings.digest)
    })
  )

  it.live("embeddings fail at chunk 5, resume: same matrix digest, BLOB rows complete", () =>
    Effect.gen(function* () {
      const reference = yield* uninterrupted
      const dir = tempDir("data-resume-emb-")
      const file = writeDataPipeline(dir, OPTIONS)
      const ledger = memoryLedger()
      const failing = yield* runPipelineWith(file, {
        ledger,
        registry: dataRegistry,
        services: flakyPool((task, chunk) => task === "profiles/chunk-embeddings" && chunk === 5),
        concurrency: 3
      })
      expect(failing.stages.find((s) => s.id === "embeddings")?.outcome).toBe("failed")
      expect(failing.stages.find((s) => s.id === "vectors")?.outcome).toBe("succeeded")
      const resumed = yield* runData(file, ledger, 2)
      expect(resumed.status).toBe("succeeded")
      expect(resumed.stages.find((s) => s.id === "embeddings")?.resumedChunks).toBe(5)
      expect(resumed.stages.find((s) => s.id === "profiles")?.outcome).toBe("reused")
      const emb = yield* artifactOf<Described>(ledger, "embeddings", join(dir, "out"))
      expect(emb.digest).toBe(reference.embeddings.digest)
      expect(countRows(emb.dbPath, "embeddings")).toEqual({ n: 4_000, d: 4_000, hi: 4_000 })
    })
  )
})
