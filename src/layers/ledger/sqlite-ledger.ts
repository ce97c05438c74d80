/**
 * The product RunLedger: one SQLite file per pipeline output (better-sqlite3, WAL). All calls are
 * synchronous and short; multi-statement changes (committing an artifact, recovering a crashed run)
 * run in one transaction so a crash leaves either all or none of them.
 */
import type Database from "better-sqlite3"
import { Clock, Effect, Layer } from "effect"
import { LedgerError } from "../../runtime/errors.js"
import { RunLedger, type ArtifactRecord, type RunLedgerService } from "../../runtime/services/run-ledger.js"
import { startedAttempt } from "./attempt-record.js"
import type { LedgerOptions } from "./ledger-options.js"
import { toJson } from "./ledger-json.js"
import { makeRunId, RUN_ID_TRIES } from "./run-id.js"
import { isPidAlive } from "./pid-alive.js"
import { openLedgerDatabase } from "./sqlite-open.js"
import { decodeAll, decodeArtifact, decodeAttempt, decodeCheckpoint, decodeEvent, decodeRun } from "./sqlite-rows.js"
import { prepareStatements } from "./sqlite-statements.js"

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))

const sqliteCode = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined

/** Runs synchronous SQLite work; a LedgerError thrown inside passes through, anything else is wrapped. */
const sql = <A>(what: string, f: () => A): Effect.Effect<A, LedgerError> =>
  Effect.try({
    try: f,
    catch: (error) =>
      error instanceof LedgerError ? error : new LedgerError({ message: `${what}: ${describe(error)}`, cause: error })
  })

const makeService = (db: Database.Database, options: LedgerOptions): RunLedgerService => {
  const st = prepareStatements(db)
  const ownPid = options.pid ?? process.pid

  /** The attempt row, checked to be still running; throws LedgerError otherwise. Call inside a transaction. */
  const runningAttempt = (attemptId: number, action: string): { run_id: string } => {
    const row = st.getAttempt.get(attemptId) as { run_id: string; status: string } | undefined
    if (row === undefined) {
      throw new LedgerError({ message: `cannot ${action}: attempt ${attemptId} does not exist` })
    }
    if (row.status !== "running") {
      throw new LedgerError({
        message: `cannot ${action}: attempt ${attemptId} already ended as ${row.status} (attempts are never overwritten)`
      })
    }
    return row
  }

  const endAttemptTx = db.transaction(
    (attemptId: number, status: string, error: string | null, endedAt: number) => {
      runningAttempt(attemptId, `end attempt as ${status}`)
      st.endAttempt.run({ id: attemptId, status, error, endedAt, rows: null })
    }
  )

  const commitArtifactTx = db.transaction(
    (
      attemptId: number,
      artifact: Omit<ArtifactRecord, "attemptId" | "createdAt" | "runId">,
      rows: number | null,
      now: number
    ): ArtifactRecord => {
      const attempt = runningAttempt(attemptId, `commit an artifact of stage ${artifact.stageId}`)
      const descriptor = toJson(artifact.descriptor)
      const keyMaterial = toJson(artifact.keyMaterial)
      const files = artifact.files === null ? null : toJson(artifact.files)
      st.endAttempt.run({ id: attemptId, status: "succeeded", error: null, endedAt: now, rows })
      st.putArtifact.run({
        stageId: artifact.stageId,
        cacheKey: artifact.cacheKey,
        kind: artifact.kind,
        digest: artifact.digest,
        descriptor,
        keyMaterial,
        files,
        runId: attempt.run_id,
        attemptId,
        createdAt: now
      })
      return {
        stageId: artifact.stageId,
        cacheKey: artifact.cacheKey,
        kind: artifact.kind,
        digest: artifact.digest,
        descriptor: JSON.parse(descriptor) as unknown,
        keyMaterial: JSON.parse(keyMaterial) as ArtifactRecord["keyMaterial"],
        files: files === null ? null : (JSON.parse(files) as ArtifactRecord["files"]),
        runId: attempt.run_id,
        attemptId,
        createdAt: now
      }
    }
  )

  const recoverTx = db.transaction((runIds: ReadonlyArray<string>, endedAt: number): Array<string> => {
    const marked: Array<string> = []
    for (const runId of runIds) {
      if (st.crashRun.run({ id: runId, endedAt }).changes === 1) {
        st.crashAttemptsOfRun.run({ runId, endedAt })
        marked.push(runId)
      }
    }
    return marked
  })

  return {
    openRun: (run) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const argv = toJson(run.argv)
        for (let i = 0; i < RUN_ID_TRIES; i++) {
          const id = makeRunId(now)
          const inserted = yield* sql(`open a run of ${run.pipeline}`, () =>
            st.insertRun.run({ id, pipeline: run.pipeline, file: run.file, startedAt: now, pid: ownPid, argv })
          )
          if (inserted.changes === 1) {
            return {
              id,
              pipeline: run.pipeline,
              file: run.file,
              status: "running",
              startedAt: now,
              endedAt: null,
              pid: ownPid,
              argv: [...run.argv]
            } as const
          }
        }
        return yield* new LedgerError({ message: `could not find a free run id after ${RUN_ID_TRIES} tries` })
      }),

    finishRun: (runId, status) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const result = yield* sql(`finish run ${runId}`, () => st.finishRun.run({ id: runId, status, endedAt: now }))
        if (result.changes === 0) return yield* new LedgerError({ message: `cannot finish run ${runId}: no such run` })
      }),

    recoverCrashed: Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const running = yield* sql("list running runs", () => st.runningRuns.all() as Array<{ id: string; pid: number }>)
      const dead = running.filter((r) => r.pid !== ownPid && !isPidAlive(r.pid)).map((r) => r.id)
      if (dead.length === 0) return []
      return yield* sql("mark crashed runs", () => recoverTx(dead, now))
    }),

    startAttempt: (attempt) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const what = `start attempt ${attempt.attempt} of stage ${attempt.stageId} in run ${attempt.runId}`
        const result = yield* Effect.try({
          try: () => st.insertAttempt.run({ ...attempt, startedAt: now }),
          catch: (error) => {
            const code = sqliteCode(error)
            const reason =
              code === "SQLITE_CONSTRAINT_UNIQUE"
                ? "that attempt number is already used (attempts are never overwritten)"
                : code === "SQLITE_CONSTRAINT_FOREIGNKEY"
                  ? "no such run"
                  : describe(error)
            return new LedgerError({ message: `cannot ${what}: ${reason}`, cause: error })
          }
        })
        return startedAttempt(Number(result.lastInsertRowid), attempt, now)
      }),

    endAttempt: (attemptId, status, error) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        yield* sql(`end attempt ${attemptId}`, () => endAttemptTx(attemptId, status, error, now))
      }),

    commitArtifact: (attemptId, artifact, rows) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        return yield* sql(`commit the artifact of stage ${artifact.stageId} (attempt ${attemptId})`, () =>
          commitArtifactTx(attemptId, artifact, rows, now)
        )
      }),

    findArtifact: (stageId, cacheKey) =>
      sql(`find the artifact of stage ${stageId}`, () => st.findArtifact.get(stageId, cacheKey)).pipe(
        Effect.flatMap((row) => (row === undefined ? Effect.succeedNone : Effect.asSome(decodeArtifact(row))))
      ),

    latestArtifact: (stageId) =>
      sql(`find the latest artifact of stage ${stageId}`, () => st.latestArtifact.get(stageId)).pipe(
        Effect.flatMap((row) => (row === undefined ? Effect.succeedNone : Effect.asSome(decodeArtifact(row))))
      ),

    checkpoints: (stageId, cacheKey) =>
      sql(`read checkpoints of stage ${stageId}`, () => st.checkpoints.all(stageId, cacheKey)).pipe(
        Effect.flatMap((rows) => decodeAll(rows, decodeCheckpoint))
      ),

    commitCheckpoint: (stageId, cacheKey, record) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        yield* sql(`commit checkpoint ${record.chunk} of stage ${stageId}`, () =>
          st.putCheckpoint.run({
            stageId,
            cacheKey,
            chunk: record.chunk,
            rows: record.rows,
            digest: record.digest,
            committedAt: now
          })
        )
      }),

    listArtifacts: sql("list artifacts", () => st.listArtifacts.all()).pipe(Effect.flatMap((rows) => decodeAll(rows, decodeArtifact))),

    forgetArtifact: (stageId, cacheKey) =>
      sql(`forget the artifact of stage ${stageId}`, () =>
        db.transaction(() => {
          st.forgetArtifact.run(stageId, cacheKey)
          st.clearCheckpoints.run(stageId, cacheKey)
        })()
      ).pipe(Effect.asVoid),

    clearCheckpoints: (stageId, cacheKey) =>
      sql(`clear checkpoints of stage ${stageId}`, () => st.clearCheckpoints.run(stageId, cacheKey)).pipe(Effect.asVoid),

    appendEvent: (event) =>
      sql(`append event ${event.type} to run ${event.runId}`, () =>
        st.insertEvent.run({
          runId: event.runId,
          at: event.at,
          type: event.type,
          stageId: event.stageId,
          data: toJson(event.data)
        })
      ).pipe(Effect.asVoid),

    listRuns: (limit) =>
      sql("list runs", () => st.listRuns.all(limit)).pipe(Effect.flatMap((rows) => decodeAll(rows, decodeRun))),

    getRun: (runId) =>
      sql(`read run ${runId}`, () => st.getRun.get(runId)).pipe(
        Effect.flatMap((row) => (row === undefined ? Effect.succeedNone : Effect.asSome(decodeRun(row))))
      ),

    latestAttempt: (stageId, cacheKey) =>
      sql(`read the latest attempt of stage ${stageId}`, () => st.latestAttempt.get(stageId, cacheKey)).pipe(
        Effect.flatMap((row) => (row === undefined ? Effect.succeedNone : Effect.asSome(decodeAttempt(row))))
      ),

    attemptsOf: (runId) =>
      sql(`read attempts of run ${runId}`, () => st.attemptsOf.all(runId)).pipe(
        Effect.flatMap((rows) => decodeAll(rows, decodeAttempt))
      ),

    eventsOf: (runId) =>
      sql(`read events of run ${runId}`, () => st.eventsOf.all(runId)).pipe(
        Effect.flatMap((rows) => decodeAll(rows, decodeEvent))
      )
  }
}

export const RunLedgerSqlite = {
  /**
   * The ledger stored at `path` (parent directories are created; `:memory:` for a private,
   * throwaway one). The connection closes when the Layer's scope does.
   */
  layer: (path: string, options: LedgerOptions = {}): Layer.Layer<RunLedger, LedgerError> =>
    Layer.scoped(
      RunLedger,
      Effect.acquireRelease(
        sql(`open the run ledger at ${path}`, () => openLedgerDatabase(path)),
        (db) => Effect.sync(() => db.close())
      ).pipe(Effect.map((db) => makeService(db, options)))
    )
} as const
