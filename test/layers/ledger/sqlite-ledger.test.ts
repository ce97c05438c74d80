/**
 * What only the SQLite ledger promises: durability across connections, WAL readers alongside a
 * writer, real transactions, schema versioning and decoded rows.
 */
import { describe, expect, it } from "@effect/vitest"
import { afterAll } from "vitest"
import Database from "better-sqlite3"
import { Effect, Exit, Option } from "effect"
import { RunLedger } from "../../../src/runtime/services/run-ledger.js"
import { RunLedgerSqlite } from "../../../src/layers/ledger/sqlite-ledger.js"
import { MIGRATIONS } from "../../../src/layers/ledger/sqlite-migrations.js"
import { cleanupLedgerStores, sqliteLedgerPath } from "./ledger-backends.js"

afterAll(cleanupLedgerStores)

const openRun = Effect.flatMap(RunLedger, (l) => l.openRun({ pipeline: "quick", file: "q.yaml", argv: [] }))

/** A plain connection to the same file, closed when the test's scope ends. */
const rawConnection = (path: string) =>
  Effect.acquireRelease(
    Effect.sync(() => new Database(path)),
    (db) => Effect.sync(() => db.close())
  )

describe("RunLedgerSqlite", () => {
  it.effect("keeps its data across close and reopen", () => {
    const path = sqliteLedgerPath()
    return Effect.gen(function* () {
      const written = yield* Effect.gen(function* () {
        const ledger = yield* RunLedger
        const run = yield* openRun
        const attempt = yield* ledger.startAttempt({ runId: run.id, stageId: "s", attempt: 1, cacheKey: "k", resumedChunks: 0 })
        yield* ledger.commitArtifact(
          attempt.id,
          {
            stageId: "s",
            cacheKey: "k",
            kind: "table",
            digest: "d",
            descriptor: { kind: "table", digest: "d", rows: 3 },
            keyMaterial: { kind: "gen", version: 1, config: {}, inputs: {}, layers: {} },
            files: []
          },
          3
        )
        yield* ledger.commitCheckpoint("s", "k", { chunk: 0, rows: 3, digest: null })
        yield* ledger.finishRun(run.id, "succeeded")
        return run
      }).pipe(Effect.provide(RunLedgerSqlite.layer(path)))

      yield* Effect.gen(function* () {
        const ledger = yield* RunLedger
        expect(Option.getOrThrow(yield* ledger.getRun(written.id)).status).toBe("succeeded")
        expect(Option.getOrThrow(yield* ledger.findArtifact("s", "k")).descriptor).toEqual({ kind: "table", digest: "d", rows: 3 })
        expect(yield* ledger.checkpoints("s", "k")).toEqual([{ chunk: 0, rows: 3, digest: null }])
        expect((yield* ledger.attemptsOf(written.id)).map((a) => a.status)).toEqual(["succeeded"])
      }).pipe(Effect.provide(RunLedgerSqlite.layer(path)))
    })
  })

  it.scoped("lets readers read while another connection holds a write transaction", () => {
    const path = sqliteLedgerPath()
    return Effect.gen(function* () {
      const ledger = yield* RunLedger
      const committed = yield* openRun

      const writer = yield* rawConnection(path)
      expect(writer.pragma("journal_mode", { simple: true })).toBe("wal")
      writer.exec("BEGIN IMMEDIATE")
      writer
        .prepare(`INSERT INTO runs (id, pipeline, file, status, started_at, pid, argv) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run("20000101-000000-beef", "p", "f", "running", 0, 1, "[]")

      // Neither the ledger's own connection nor a second reader waits for (or sees) the open write.
      const reader = yield* rawConnection(path)
      reader.pragma("busy_timeout = 0")
      expect(reader.prepare("SELECT id FROM runs").all()).toEqual([{ id: committed.id }])
      expect((yield* ledger.listRuns(10)).map((r) => r.id)).toEqual([committed.id])

      writer.exec("COMMIT")
      expect((yield* ledger.listRuns(10)).map((r) => r.id).sort()).toEqual([committed.id, "20000101-000000-beef"].sort())
    }).pipe(Effect.provide(RunLedgerSqlite.layer(path)))
  })

  it.scoped("rolls back the attempt when recording the artifact fails", () => {
    const path = sqliteLedgerPath()
    return Effect.gen(function* () {
      const ledger = yield* RunLedger
      const run = yield* openRun
      const attempt = yield* ledger.startAttempt({ runId: run.id, stageId: "s", attempt: 1, cacheKey: "k", resumedChunks: 0 })
      const raw = yield* rawConnection(path)
      raw.exec(`CREATE TRIGGER no_artifacts BEFORE INSERT ON artifacts BEGIN SELECT RAISE(ABORT, 'disk full'); END`)

      const error = yield* Effect.flip(
        ledger.commitArtifact(
          attempt.id,
          {
            stageId: "s",
            cacheKey: "k",
            kind: "table",
            digest: "d",
            descriptor: {},
            keyMaterial: { kind: "gen", version: 1, config: {}, inputs: {}, layers: {} },
            files: []
          },
          5
        )
      )
      expect(error._tag).toBe("LedgerError")
      expect(error.message).toContain("disk full")
      // The attempt update ran first inside the transaction and was rolled back with it.
      expect((yield* ledger.attemptsOf(run.id))[0]).toMatchObject({ status: "running", rows: null, endedAt: null })
      expect(Option.isNone(yield* ledger.findArtifact("s", "k"))).toBe(true)
    }).pipe(Effect.provide(RunLedgerSqlite.layer(path)))
  })

  it.effect("records its schema version and refuses a newer file", () => {
    const path = sqliteLedgerPath()
    return Effect.gen(function* () {
      yield* Effect.provide(openRun, RunLedgerSqlite.layer(path))
      const raw = new Database(path)
      expect(raw.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length)
      raw.pragma(`user_version = ${MIGRATIONS.length + 1}`)
      raw.close()

      const exit = yield* Effect.exit(Effect.provide(openRun, RunLedgerSqlite.layer(path)))
      expect(Exit.isFailure(exit)).toBe(true)
      const error = yield* Effect.flip(Effect.provide(openRun, RunLedgerSqlite.layer(path)))
      expect(error._tag).toBe("LedgerError")
      expect(error.message).toContain("newer than this program")
    })
  })

  it.scoped("fails with a LedgerError naming the table on a malformed row", () => {
    const path = sqliteLedgerPath()
    return Effect.gen(function* () {
      const ledger = yield* RunLedger
      const raw = yield* rawConnection(path)
      raw
        .prepare(`INSERT INTO runs (id, pipeline, file, status, started_at, pid, argv) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run("20000101-000000-dead", "p", "f", "exploded", 0, 1, "[]")
      const error = yield* Effect.flip(ledger.listRuns(5))
      expect(error._tag).toBe("LedgerError")
      expect(error.message).toContain("malformed runs row")
      expect(error.message).toContain("exploded")
    }).pipe(Effect.provide(RunLedgerSqlite.layer(path)))
  })

  it.effect("fails with a LedgerError when the file cannot be opened", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Effect.provide(openRun, RunLedgerSqlite.layer("/proc/version/ledger.sqlite")))
      expect(error._tag).toBe("LedgerError")
      expect(error.message).toContain("open the run ledger at /proc/version/ledger.sqlite")
    })
  )
})
