/**
 * The RunLedger contract, run against every implementation: stages may rely on exactly these
 * behaviours whichever ledger they are given.
 */
import { describe, expect, it } from "@effect/vitest"
import { afterAll } from "vitest"
import { Effect, Exit, Option, TestClock } from "effect"
import { spawn } from "node:child_process"
import { RunLedger, type KeyMaterial } from "../../../src/runtime/services/run-ledger.js"
import { cleanupLedgerStores, ledgerBackends } from "./ledger-backends.js"

afterAll(cleanupLedgerStores)

const keyMaterial: KeyMaterial = {
  kind: "kmeans",
  version: 2,
  config: { k: 64, niter: 20 },
  inputs: { vectors: "abc123" },
  layers: { "faiss.device": "cpu" }
}

const artifact = (stageId: string, cacheKey: string, digest: string) => ({
  stageId,
  cacheKey,
  kind: "vector-matrix",
  digest,
  descriptor: { kind: "vector-matrix", path: `stages/${stageId}/m.f32`, rows: 10, dim: 4, digest },
  keyMaterial,
  files: [{ path: `stages/${stageId}/m.f32`, size: 160, mtimeMs: 1700000000000.5, sample: `s-${digest}`, digest: `f-${digest}` }]
})

const openTestRun = Effect.flatMap(RunLedger, (l) =>
  l.openRun({ pipeline: "full", file: "pipelines/full.yaml", argv: ["run", "pipelines/full.yaml"] })
)

/** The pid of a process that has exited (a `node -e ""` child, awaited). */
const deadPid = Effect.promise(
  () =>
    new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" })
      child.on("error", reject)
      child.on("exit", () => (child.pid === undefined ? reject(new Error("no pid")) : resolve(child.pid)))
    })
)

describe.each(ledgerBackends)("RunLedger contract ($name)", (backend) => {
  it.effect("opens, reads and finishes a run", () => {
    const store = backend.store()
    return Effect.gen(function* () {
      const ledger = yield* RunLedger
      yield* TestClock.setTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678))
      const run = yield* openTestRun
      expect(run.id).toMatch(/^20240102-030405-[0-9a-f]{4}$/)
      expect(run).toMatchObject({
        pipeline: "full",
        file: "pipelines/full.yaml",
        status: "running",
        startedAt: Date.UTC(2024, 0, 2, 3, 4, 5, 678),
        endedAt: null,
        pid: process.pid,
        argv: ["run", "pipelines/full.yaml"]
      })
      expect(yield* ledger.getRun(run.id)).toEqual(Option.some(run))

      yield* TestClock.adjust("3 seconds")
      yield* ledger.finishRun(run.id, "succeeded")
      const finished = Option.getOrThrow(yield* ledger.getRun(run.id))
      expect(finished.status).toBe("succeeded")
      expect(finished.endedAt).toBe(Date.UTC(2024, 0, 2, 3, 4, 8, 678))

      expect(Option.isNone(yield* ledger.getRun("19990101-000000-0000"))).toBe(true)
      const missing = yield* Effect.exit(ledger.finishRun("19990101-000000-0000", "failed"))
      expect(Exit.isFailure(missing)).toBe(true)
    }).pipe(Effect.provide(store.ledger()))
  })

  it.effect("gives runs opened in the same second distinct ids", () => {
    const store = backend.store()
    return Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2025, 5, 30, 23, 59, 59))
      const runs = yield* Effect.replicateEffect(openTestRun, 20)
      const ids = new Set(runs.map((r) => r.id))
      expect(ids.size).toBe(20)
      for (const id of ids) expect(id).toMatch(/^20250630-235959-[0-9a-f]{4}$/)
    }).pipe(Effect.provide(store.ledger()))
  })

  it.effect("numbers attempts and never overwrites one", () => {
    const store = backend.store()
    return Effect.gen(function* () {
      const ledger = yield* RunLedger
      const run = yield* openTestRun
      const first = yield* ledger.startAttempt({ runId: run.id, stageId: "clusters", attempt: 1, cacheKey: "k1", resumedChunks: 0 })
      yield* TestClock.adjust("1 second")
      yield* ledger.endAttempt(first.id, "failed", "device lost")
      const second = yield* ledger.startAttempt({ runId: run.id, stageId: "clusters", attempt: 2, cacheKey: "k1", resumedChunks: 3 })
      expect(second.id).not.toBe(first.id)

      const reused = yield* Effect.flip(
        ledger.startAttempt({ runId: run.id, stageId: "clusters", attempt: 1, cacheKey: "k1", resumedChunks: 0 })
      )
      expect(reused._tag).toBe("LedgerError")
      expect(reused.message).toContain("already used")

      const reEnded = yield* Effect.flip(ledger.endAttempt(first.id, "interrupted", null))
      expect(reEnded.message).toContain("already ended as failed")
      const unknownRun = yield* Effect.flip(
        ledger.startAttempt({ runId: "nope", stageId: "clusters", attempt: 1, cacheKey: "k1", resumedChunks: 0 })
      )
      expect(unknownRun._tag).toBe("LedgerError")

      const attempts = yield* ledger.attemptsOf(run.id)
      expect(attempts.map((a) => [a.attempt, a.status, a.error, a.resumedChunks])).toEqual([
        [1, "failed", "device lost", 0],
        [2, "running", null, 3]
      ])
      expect(attempts[0]?.endedAt).toBe(1000)
      expect(attempts[1]?.endedAt).toBeNull()
      // The same try number is free in another stage.
      const other = yield* ledger.startAttempt({ runId: run.id, stageId: "index", attempt: 1, cacheKey: "k9", resumedChunks: 0 })
      expect(other.attempt).toBe(1)
    }).pipe(Effect.provide(store.ledger()))
  })

  it.effect("commits an artifact together with its attempt", () => {
    const store = backend.store()
    return Effect.gen(function* () {
      const ledger = yield* RunLedger
      const run = yield* openTestRun
      const attempt = yield* ledger.startAttempt({ runId: run.id, stageId: "vectors", attempt: 1, cacheKey: "kv", resumedChunks: 0 })
      yield* TestClock.adjust("2 seconds")
      const committed = yield* ledger.commitArtifact(attempt.id, artifact("vectors", "kv", "d1"), 10)
      expect(committed).toMatchObject({ runId: run.id, attemptId: attempt.id, createdAt: 2000, digest: "d1" })

      const found = Option.getOrThrow(yield* ledger.findArtifact("vectors", "kv"))
      expect(found).toEqual(committed)
      expect(found.descriptor).toEqual(artifact("vectors", "kv", "d1").descriptor)
      expect(found.keyMaterial).toEqual(keyMaterial)
      expect(found.files).toEqual(artifact("vectors", "kv", "d1").files)

      // An artifact recorded without files (as an older version committed them) reads back as null.
      const bare = yield* ledger.startAttempt({ runId: run.id, stageId: "bare", attempt: 1, cacheKey: "kb", resumedChunks: 0 })
      yield* ledger.commitArtifact(bare.id, { ...artifact("bare", "kb", "d0"), files: null }, null)
      expect(Option.getOrThrow(yield* ledger.findArtifact("bare", "kb")).files).toBeNull()

      const [ended] = yield* ledger.attemptsOf(run.id)
      expect(ended).toMatchObject({ status: "succeeded", rows: 10, endedAt: 2000 })

      // A second commit for the same attempt would overwrite it: refused.
      const again = yield* Effect.flip(ledger.commitArtifact(attempt.id, artifact("vectors", "kv2", "d2"), 10))
      expect(again.message).toContain("already ended")
      expect(Option.isNone(yield* ledger.findArtifact("vectors", "kv2"))).toBe(true)
    }).pipe(Effect.provide(store.ledger()))
  })

  it.effect("leaves no artifact when a commit fails", () => {
    const store = backend.store()
    return Effect.gen(function* () {
      const ledger = yield* RunLedger
      const run = yield* openTestRun
      const unknown = yield* Effect.flip(ledger.commitArtifact(4242, artifact("vectors", "kx", "d1"), 10))
      expect(unknown._tag).toBe("LedgerError")
      expect(unknown.message).toContain("attempt 4242 does not exist")
      expect(Option.isNone(yield* ledger.findArtifact("vectors", "kx"))).toBe(true)
      expect(Option.isNone(yield* ledger.latestArtifact("vectors"))).toBe(true)

      // A descriptor JSON cannot hold fails the whole commit: the attempt stays running.
      const attempt = yield* ledger.startAttempt({ runId: run.id, stageId: "vectors", attempt: 1, cacheKey: "kx", resumedChunks: 0 })
      const bad = { ...artifact("vectors", "kx", "d1"), descriptor: { rows: 10n } }
      const failed = yield* Effect.flip(ledger.commitArtifact(attempt.id, bad, 10))
      expect(failed._tag).toBe("LedgerError")
      expect(Option.isNone(yield* ledger.findArtifact("vectors", "kx"))).toBe(true)
      const [still] = yield* ledger.attemptsOf(run.id)
      expect(still).toMatchObject({ status: "running", rows: null, endedAt: null })
    }).pipe(Effect.provide(store.ledger()))
  })

  it.effect("finds the latest artifact of a stage whatever its key", () => {
    const store = backend.store()
    return Effect.gen(function* () {
      const ledger = yield* RunLedger
      const run = yield* openTestRun
      const commit = (stageId: string, key: string, digest: string, attempt: number) =>
        ledger
          .startAttempt({ runId: run.id, stageId, attempt, cacheKey: key, resumedChunks: 0 })
          .pipe(Effect.flatMap((a) => ledger.commitArtifact(a.id, artifact(stageId, key, digest), null)))

      expect(Option.isNone(yield* ledger.latestArtifact("clusters"))).toBe(true)
      yield* commit("clusters", "old", "d-old", 1)
      yield* TestClock.adjust("1 second")
      yield* commit("clusters", "new", "d-new", 2)
      yield* commit("index", "other", "d-index", 1)
      expect(Option.getOrThrow(yield* ledger.latestArtifact("clusters")).cacheKey).toBe("new")
      expect(Option.getOrThrow(yield* ledger.findArtifact("clusters", "old")).digest).toBe("d-old")

      // Re-committing a key (e.g. --force) replaces it and makes it the latest, even in the same ms.
      yield* commit("clusters", "old", "d-old-2", 3)
      const latest = Option.getOrThrow(yield* ledger.latestArtifact("clusters"))
      expect([latest.cacheKey, latest.digest]).toEqual(["old", "d-old-2"])
      expect(Option.getOrThrow(yield* ledger.latestArtifact("index")).digest).toBe("d-index")
    }).pipe(Effect.provide(store.ledger()))
  })

  it.effect("finds the newest attempt of a stage with a given key, in any run", () => {
    const store = backend.store()
    return Effect.gen(function* () {
      const ledger = yield* RunLedger
      const first = yield* openTestRun
      expect(Option.isNone(yield* ledger.latestAttempt("clusters", "k1"))).toBe(true)
      const a1 = yield* ledger.startAttempt({ runId: first.id, stageId: "clusters", attempt: 1, cacheKey: "k1", resumedChunks: 0 })
      yield* ledger.endAttempt(a1.id, "failed", "k-means exploded")
      yield* ledger.finishRun(first.id, "failed")
      yield* TestClock.adjust("1 second")
      const second = yield* openTestRun
      const a2 = yield* ledger.startAttempt({ runId: second.id, stageId: "clusters", attempt: 1, cacheKey: "k1", resumedChunks: 0 })
      yield* ledger.endAttempt(a2.id, "timed-out", "too slow")
      yield* ledger.startAttempt({ runId: second.id, stageId: "clusters", attempt: 2, cacheKey: "other", resumedChunks: 0 })
      const latest = Option.getOrThrow(yield* ledger.latestAttempt("clusters", "k1"))
      expect([latest.runId, latest.status, latest.error]).toEqual([second.id, "timed-out", "too slow"])
      expect(Option.isNone(yield* ledger.latestAttempt("index", "k1"))).toBe(true)
    }).pipe(Effect.provide(store.ledger()))
  })

  it.effect("lists every committed artifact, and forgets one with its checkpoints", () => {
    const store = backend.store()
    return Effect.gen(function* () {
      const ledger = yield* RunLedger
      const run = yield* openTestRun
      const commit = (stageId: string, key: string, attempt: number) =>
        ledger
          .startAttempt({ runId: run.id, stageId, attempt, cacheKey: key, resumedChunks: 0 })
          .pipe(Effect.flatMap((a) => ledger.commitArtifact(a.id, artifact(stageId, key, `d-${key}`), null)))
      yield* commit("clusters", "k1", 1)
      yield* commit("clusters", "k2", 2)
      yield* commit("index", "k3", 1)
      yield* ledger.commitCheckpoint("clusters", "k1", { chunk: 0, rows: 5, digest: null })
      expect((yield* ledger.listArtifacts).map((a) => `${a.stageId}/${a.cacheKey}`)).toEqual(["clusters/k1", "clusters/k2", "index/k3"])
      yield* ledger.forgetArtifact("clusters", "k1")
      expect(Option.isNone(yield* ledger.findArtifact("clusters", "k1"))).toBe(true)
      expect(yield* ledger.checkpoints("clusters", "k1")).toEqual([])
      expect((yield* ledger.listArtifacts).map((a) => a.cacheKey)).toEqual(["k2", "k3"])
    }).pipe(Effect.provide(store.ledger()))
  })

  it.effect("keeps checkpoints per stage and cache key", () => {
    const store = backend.store()
    return Effect.gen(function* () {
      const ledger = yield* RunLedger
      yield* ledger.commitCheckpoint("embed", "A", { chunk: 2, rows: 100, digest: "c2" })
      yield* ledger.commitCheckpoint("embed", "A", { chunk: 0, rows: 100, digest: null })
      yield* ledger.commitCheckpoint("embed", "A", { chunk: 1, rows: 50, digest: "c1" })
      yield* ledger.commitCheckpoint("embed", "B", { chunk: 0, rows: 7, digest: null })
      yield* ledger.commitCheckpoint("other", "A", { chunk: 0, rows: 9, digest: null })
      // Redoing a chunk whose commit was lost is idempotent.
      yield* ledger.commitCheckpoint("embed", "A", { chunk: 1, rows: 60, digest: "c1b" })

      expect(yield* ledger.checkpoints("embed", "A")).toEqual([
        { chunk: 0, rows: 100, digest: null },
        { chunk: 1, rows: 60, digest: "c1b" },
        { chunk: 2, rows: 100, digest: "c2" }
      ])
      yield* ledger.clearCheckpoints("embed", "A")
      expect(yield* ledger.checkpoints("embed", "A")).toEqual([])
      expect(yield* ledger.checkpoints("embed", "B")).toEqual([{ chunk: 0, rows: 7, digest: null }])
      expect(yield* ledger.checkpoints("other", "A")).toEqual([{ chunk: 0, rows: 9, digest: null }])
    }).pipe(Effect.provide(store.ledger()))
  })

  it.effect("returns a run's events in the order appended", () => {
    const store = backend.store()
    return Effect.gen(function* () {
      const ledger = yield* RunLedger
      const run = yield* openTestRun
      const other = yield* openTestRun
      yield* ledger.appendEvent({ runId: run.id, at: 5, type: "run-started", stageId: null, data: { argv: ["run"] } })
      yield* ledger.appendEvent({ runId: other.id, at: 4, type: "run-started", stageId: null, data: null })
      yield* ledger.appendEvent({ runId: run.id, at: 3, type: "stage-started", stageId: "vectors", data: undefined })
      yield* ledger.appendEvent({ runId: run.id, at: 9, type: "stage-ended", stageId: "vectors", data: { outcome: "succeeded" } })

      expect(yield* ledger.eventsOf(run.id)).toEqual([
        { runId: run.id, at: 5, type: "run-started", stageId: null, data: { argv: ["run"] } },
        { runId: run.id, at: 3, type: "stage-started", stageId: "vectors", data: null },
        { runId: run.id, at: 9, type: "stage-ended", stageId: "vectors", data: { outcome: "succeeded" } }
      ])
      expect((yield* ledger.eventsOf(other.id)).map((e) => e.type)).toEqual(["run-started"])
      const orphan = yield* Effect.exit(ledger.appendEvent({ runId: "nope", at: 1, type: "x", stageId: null, data: null }))
      expect(Exit.isFailure(orphan)).toBe(true)
    }).pipe(Effect.provide(store.ledger()))
  })

  it.effect("lists runs newest first", () => {
    const store = backend.store()
    return Effect.gen(function* () {
      const ledger = yield* RunLedger
      const a = yield* openTestRun
      yield* TestClock.adjust("1 hour")
      const b = yield* openTestRun
      // c and d share a start time: the later one opened is newer.
      yield* TestClock.adjust("1 hour")
      const c = yield* openTestRun
      const d = yield* openTestRun
      expect((yield* ledger.listRuns(10)).map((r) => r.id)).toEqual([d.id, c.id, b.id, a.id])
      expect((yield* ledger.listRuns(2)).map((r) => r.id)).toEqual([d.id, c.id])
      expect(yield* ledger.listRuns(0)).toEqual([])
    }).pipe(Effect.provide(store.ledger()))
  })

  it.effect("marks runs of dead processes and their running attempts crashed", () => {
    const store = backend.store()
    return Effect.gen(function* () {
      const pid = yield* deadPid
      // What a SIGKILLed process leaves behind: a running run with a running and a failed attempt,
      // plus a run it did finish.
      const { crashed, finished } = yield* Effect.gen(function* () {
        const ledger = yield* RunLedger
        const crashed = yield* openTestRun
        const failed = yield* ledger.startAttempt({ runId: crashed.id, stageId: "a", attempt: 1, cacheKey: "k", resumedChunks: 0 })
        yield* ledger.endAttempt(failed.id, "failed", "boom")
        yield* ledger.startAttempt({ runId: crashed.id, stageId: "a", attempt: 2, cacheKey: "k", resumedChunks: 0 })
        yield* ledger.startAttempt({ runId: crashed.id, stageId: "b", attempt: 1, cacheKey: "k", resumedChunks: 0 })
        const finished = yield* openTestRun
        yield* ledger.finishRun(finished.id, "failed")
        return { crashed, finished }
      }).pipe(Effect.provide(store.ledger({ pid })))
      expect(crashed.pid).toBe(pid)

      yield* Effect.gen(function* () {
        const ledger = yield* RunLedger
        const ours = yield* openTestRun
        yield* TestClock.adjust("10 seconds")
        expect(yield* ledger.recoverCrashed).toEqual([crashed.id])

        const run = Option.getOrThrow(yield* ledger.getRun(crashed.id))
        expect([run.status, run.endedAt]).toEqual(["crashed", 10_000])
        const attempts = yield* ledger.attemptsOf(crashed.id)
        expect(attempts.map((a) => [a.stageId, a.attempt, a.status, a.endedAt])).toEqual([
          ["a", 1, "failed", 0],
          ["a", 2, "crashed", 10_000],
          ["b", 1, "crashed", 10_000]
        ])
        expect(attempts[0]?.error).toBe("boom")
        expect(Option.getOrThrow(yield* ledger.getRun(finished.id)).status).toBe("failed")
        expect(Option.getOrThrow(yield* ledger.getRun(ours.id)).status).toBe("running")
        expect(yield* ledger.recoverCrashed).toEqual([])
      }).pipe(Effect.provide(store.ledger()))
    })
  })
})
