/**
 * An in-memory RunLedger with the SQLite ledger's semantics (unique attempt numbers, attempts
 * never overwritten, atomic artifact commits, runs newest first, JSON-shaped values). It makes
 * unit tests fast and shows that stages depend on the RunLedger service, not on SQLite.
 */
import { Clock, Effect, Layer, Option } from "effect"
import { LedgerError } from "../../runtime/errors.js"
import type { ChunkRecord } from "../../runtime/services/checkpoint.js"
import {
  RunLedger,
  type ArtifactRecord,
  type AttemptRecord,
  type LedgerEvent,
  type RunLedgerService,
  type RunRecord
} from "../../runtime/services/run-ledger.js"
import { startedAttempt } from "./attempt-record.js"
import { jsonRoundTrip } from "./ledger-json.js"
import type { LedgerOptions } from "./ledger-options.js"
import { isPidAlive } from "./pid-alive.js"
import { makeRunId, RUN_ID_TRIES } from "./run-id.js"

/**
 * The tables of a memory ledger. Two Layers built on one state behave like two processes sharing
 * one ledger file (e.g. a crashed run's process and the one recovering it).
 */
export class MemoryLedgerState {
  /** Insertion order doubles as SQLite's rowid order (the tie-breaker for equal times). */
  readonly runs = new Map<string, RunRecord>()
  readonly attempts = new Map<number, AttemptRecord>()
  nextAttemptId = 1
  /** Keyed by `stageId \0 cacheKey`; re-committing deletes first so the newest is last. */
  readonly artifacts = new Map<string, ArtifactRecord>()
  readonly checkpoints = new Map<string, Map<number, ChunkRecord>>()
  readonly events: Array<LedgerEvent> = []
}

const keyOf = (stageId: string, cacheKey: string): string => `${stageId}\u0000${cacheKey}`

const fail = (message: string): Effect.Effect<never, LedgerError> => Effect.fail(new LedgerError({ message }))

/** JSON round trip as an Effect: a value SQLite could not store fails here too. */
const json = <A>(what: string, value: A): Effect.Effect<A, LedgerError> =>
  Effect.try({
    try: () => jsonRoundTrip(value),
    catch: (error) => new LedgerError({ message: `${what}: ${String(error)}`, cause: error })
  })

const makeService = (state: MemoryLedgerState, options: LedgerOptions): RunLedgerService => {
  const ownPid = options.pid ?? process.pid

  const runningAttempt = (attemptId: number, action: string): Effect.Effect<AttemptRecord, LedgerError> => {
    const attempt = state.attempts.get(attemptId)
    if (attempt === undefined) return fail(`cannot ${action}: attempt ${attemptId} does not exist`)
    if (attempt.status !== "running") {
      return fail(`cannot ${action}: attempt ${attemptId} already ended as ${attempt.status} (attempts are never overwritten)`)
    }
    return Effect.succeed(attempt)
  }

  const requireRun = (runId: string, action: string): Effect.Effect<RunRecord, LedgerError> => {
    const run = state.runs.get(runId)
    return run === undefined ? fail(`cannot ${action}: no such run ${runId}`) : Effect.succeed(run)
  }

  return {
    openRun: (run) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const argv = yield* json(`open a run of ${run.pipeline}`, [...run.argv])
        for (let i = 0; i < RUN_ID_TRIES; i++) {
          const id = makeRunId(now)
          if (state.runs.has(id)) continue
          const record: RunRecord = {
            id,
            pipeline: run.pipeline,
            file: run.file,
            status: "running",
            startedAt: now,
            endedAt: null,
            pid: ownPid,
            argv
          }
          state.runs.set(id, record)
          return record
        }
        return yield* fail(`could not find a free run id after ${RUN_ID_TRIES} tries`)
      }),

    finishRun: (runId, status) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const run = yield* requireRun(runId, "finish run")
        state.runs.set(runId, { ...run, status, endedAt: now })
      }),

    recoverCrashed: Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const marked: Array<string> = []
      for (const run of state.runs.values()) {
        if (run.status !== "running" || run.pid === ownPid || isPidAlive(run.pid)) continue
        state.runs.set(run.id, { ...run, status: "crashed", endedAt: now })
        for (const attempt of state.attempts.values()) {
          if (attempt.runId === run.id && attempt.status === "running") {
            state.attempts.set(attempt.id, { ...attempt, status: "crashed", endedAt: now })
          }
        }
        marked.push(run.id)
      }
      return marked
    }),

    startAttempt: (attempt) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const what = `start attempt ${attempt.attempt} of stage ${attempt.stageId} in run ${attempt.runId}`
        yield* requireRun(attempt.runId, what)
        for (const a of state.attempts.values()) {
          if (a.runId === attempt.runId && a.stageId === attempt.stageId && a.attempt === attempt.attempt) {
            return yield* fail(`cannot ${what}: that attempt number is already used (attempts are never overwritten)`)
          }
        }
        const record = startedAttempt(state.nextAttemptId++, attempt, now)
        state.attempts.set(record.id, record)
        return record
      }),

    endAttempt: (attemptId, status, error) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const attempt = yield* runningAttempt(attemptId, `end attempt as ${status}`)
        state.attempts.set(attemptId, { ...attempt, status, error, endedAt: now })
      }),

    // Everything that can fail is checked before the first write, which makes the commit atomic.
    commitArtifact: (attemptId, artifact, rows) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const what = `commit the artifact of stage ${artifact.stageId} (attempt ${attemptId})`
        const attempt = yield* runningAttempt(attemptId, what)
        const descriptor = yield* json(what, artifact.descriptor)
        const keyMaterial = yield* json(what, artifact.keyMaterial)
        const files = artifact.files === null ? null : yield* json(what, artifact.files)
        const record: ArtifactRecord = {
          stageId: artifact.stageId,
          cacheKey: artifact.cacheKey,
          kind: artifact.kind,
          digest: artifact.digest,
          descriptor,
          keyMaterial,
          files,
          runId: attempt.runId,
          attemptId,
          createdAt: now
        }
        state.attempts.set(attemptId, { ...attempt, status: "succeeded", endedAt: now, rows })
        const key = keyOf(artifact.stageId, artifact.cacheKey)
        state.artifacts.delete(key)
        state.artifacts.set(key, record)
        return record
      }),

    findArtifact: (stageId, cacheKey) => Effect.sync(() => Option.fromNullable(state.artifacts.get(keyOf(stageId, cacheKey)))),

    latestArtifact: (stageId) =>
      Effect.sync(() => {
        let latest: ArtifactRecord | undefined
        for (const artifact of state.artifacts.values()) {
          if (artifact.stageId === stageId && (latest === undefined || artifact.createdAt >= latest.createdAt)) {
            latest = artifact
          }
        }
        return Option.fromNullable(latest)
      }),

    checkpoints: (stageId, cacheKey) =>
      Effect.sync(() =>
        [...(state.checkpoints.get(keyOf(stageId, cacheKey))?.values() ?? [])].sort((a, b) => a.chunk - b.chunk)
      ),

    commitCheckpoint: (stageId, cacheKey, record) =>
      Effect.sync(() => {
        const key = keyOf(stageId, cacheKey)
        const chunks = state.checkpoints.get(key) ?? new Map<number, ChunkRecord>()
        chunks.set(record.chunk, { chunk: record.chunk, rows: record.rows, digest: record.digest })
        state.checkpoints.set(key, chunks)
      }),

    listArtifacts: Effect.sync(() =>
      [...state.artifacts.values()].sort((a, b) => a.stageId.localeCompare(b.stageId) || a.createdAt - b.createdAt)
    ),

    forgetArtifact: (stageId, cacheKey) =>
      Effect.sync(() => {
        state.artifacts.delete(keyOf(stageId, cacheKey))
        state.checkpoints.delete(keyOf(stageId, cacheKey))
      }),

    clearCheckpoints: (stageId, cacheKey) => Effect.sync(() => void state.checkpoints.delete(keyOf(stageId, cacheKey))),

    appendEvent: (event) =>
      Effect.gen(function* () {
        yield* requireRun(event.runId, `append event ${event.type}`)
        const data = yield* json(`append event ${event.type} to run ${event.runId}`, event.data ?? null)
        state.events.push({ runId: event.runId, at: event.at, type: event.type, stageId: event.stageId, data })
      }),

    listRuns: (limit) =>
      Effect.sync(() =>
        [...state.runs.values()]
          .map((run, index) => ({ run, index }))
          .sort((a, b) => b.run.startedAt - a.run.startedAt || b.index - a.index)
          .slice(0, limit < 0 ? undefined : limit) // SQLite: a negative LIMIT means none
          .map(({ run }) => run)
      ),

    getRun: (runId) => Effect.sync(() => Option.fromNullable(state.runs.get(runId))),

    latestAttempt: (stageId, cacheKey) =>
      Effect.sync(() => {
        let latest: AttemptRecord | undefined
        for (const a of state.attempts.values()) {
          if (a.stageId === stageId && a.cacheKey === cacheKey && (latest === undefined || a.id > latest.id)) latest = a
        }
        return Option.fromNullable(latest)
      }),

    attemptsOf: (runId) =>
      Effect.sync(() => [...state.attempts.values()].filter((a) => a.runId === runId).sort((a, b) => a.id - b.id)),

    eventsOf: (runId) => Effect.sync(() => state.events.filter((e) => e.runId === runId))
  }
}

export interface MemoryLedgerOptions extends LedgerOptions {
  /** Tables to share with other memory ledgers; a fresh, empty state by default. */
  readonly state?: MemoryLedgerState
}

export const RunLedgerMemory = {
  /** A fresh, empty ledger per Layer build. */
  layer: Layer.sync(RunLedger, () => makeService(new MemoryLedgerState(), {})),
  /** A ledger over `options.state` (shared) with `options.pid` as its own pid. */
  layerWith: (options: MemoryLedgerOptions): Layer.Layer<RunLedger> =>
    Layer.sync(RunLedger, () => makeService(options.state ?? new MemoryLedgerState(), options))
} as const
