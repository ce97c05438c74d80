/**
 * RunLedger: the durable history of a pipeline's runs. Runs, attempts (never overwritten),
 * committed artifacts with the key material that produced them, chunk checkpoints and events.
 * Completing a stage (attempt status + artifact) is one transaction, so a crash never leaves a
 * stage half-counted.
 */
import { Context, type Effect, type Option } from "effect"
import type { LedgerError } from "../errors.js"
import type { FileCheck } from "./artifact-store.js"
import type { ChunkRecord } from "./checkpoint.js"

export type RunStatus = "running" | "succeeded" | "failed" | "interrupted" | "crashed"
export type AttemptStatus = "running" | "succeeded" | "failed" | "timed-out" | "interrupted" | "crashed"

/** Everything that went into a cache key; kept so `plan` can say what changed. */
export interface KeyMaterial {
  readonly kind: string
  readonly version: number
  /** The resolved config, encoded (defaults applied), as JSON-compatible data. */
  readonly config: unknown
  /** Input name -> digest of the artifact wired to it. */
  readonly inputs: Readonly<Record<string, string>>
  /** Result-changing layer settings, dotted path -> value. */
  readonly layers: Readonly<Record<string, unknown>>
}

export interface RunRecord {
  readonly id: string
  readonly pipeline: string
  readonly file: string
  readonly status: RunStatus
  readonly startedAt: number
  readonly endedAt: number | null
  readonly pid: number
  readonly argv: ReadonlyArray<string>
}

export interface AttemptRecord {
  readonly id: number
  readonly runId: string
  readonly stageId: string
  /** 1-based try number within the run. */
  readonly attempt: number
  readonly cacheKey: string
  readonly status: AttemptStatus
  readonly startedAt: number
  readonly endedAt: number | null
  readonly error: string | null
  /** Number of chunks already committed when this attempt started (0 = from scratch). */
  readonly resumedChunks: number
  /** Rows/items the attempt processed (from its checkpoints or its artifact). */
  readonly rows: number | null
}

export interface ArtifactRecord {
  readonly stageId: string
  readonly cacheKey: string
  readonly kind: string
  readonly digest: string
  /** The artifact descriptor as the stage returned it. */
  readonly descriptor: unknown
  readonly keyMaterial: KeyMaterial
  /**
   * The files of the stage's directory at commit, checked before the artifact is reused; null for
   * an artifact committed before files were recorded (it is never trusted for reuse).
   */
  readonly files: ReadonlyArray<FileCheck> | null
  readonly runId: string
  readonly attemptId: number
  readonly createdAt: number
}

export interface LedgerEvent {
  readonly runId: string
  readonly at: number
  readonly type: string
  readonly stageId: string | null
  readonly data: unknown
}

export interface RunLedgerService {
  readonly openRun: (run: {
    readonly pipeline: string
    readonly file: string
    readonly argv: ReadonlyArray<string>
  }) => Effect.Effect<RunRecord, LedgerError>
  readonly finishRun: (runId: string, status: RunStatus) => Effect.Effect<void, LedgerError>
  /**
   * Marks runs and attempts left `running` by a process that no longer exists as `crashed`
   * (a SIGKILL or power loss leaves no chance to record anything). Returns the run ids marked.
   */
  readonly recoverCrashed: Effect.Effect<ReadonlyArray<string>, LedgerError>
  readonly startAttempt: (attempt: {
    readonly runId: string
    readonly stageId: string
    readonly attempt: number
    readonly cacheKey: string
    readonly resumedChunks: number
  }) => Effect.Effect<AttemptRecord, LedgerError>
  /** Ends an attempt that produced no artifact. */
  readonly endAttempt: (
    attemptId: number,
    status: Exclude<AttemptStatus, "running" | "succeeded">,
    error: string | null
  ) => Effect.Effect<void, LedgerError>
  /** Marks the attempt succeeded and records its artifact, in one transaction. */
  readonly commitArtifact: (
    attemptId: number,
    artifact: Omit<ArtifactRecord, "attemptId" | "createdAt" | "runId">,
    rows: number | null
  ) => Effect.Effect<ArtifactRecord, LedgerError>
  readonly findArtifact: (stageId: string, cacheKey: string) => Effect.Effect<Option.Option<ArtifactRecord>, LedgerError>
  /** The most recently committed artifact of a stage, whatever its key (for plan reasons). */
  readonly latestArtifact: (stageId: string) => Effect.Effect<Option.Option<ArtifactRecord>, LedgerError>
  /** The newest attempt of a stage with this cache key, in any run (for plan reasons). */
  readonly latestAttempt: (stageId: string, cacheKey: string) => Effect.Effect<Option.Option<AttemptRecord>, LedgerError>
  /** Every committed artifact, of every stage and key (for `pipeline gc`). */
  readonly listArtifacts: Effect.Effect<ReadonlyArray<ArtifactRecord>, LedgerError>
  /**
   * Forgets a committed artifact and the checkpoints of its key (its files are about to be
   * removed): the next run cannot reuse or resume from data that is gone.
   */
  readonly forgetArtifact: (stageId: string, cacheKey: string) => Effect.Effect<void, LedgerError>
  readonly checkpoints: (stageId: string, cacheKey: string) => Effect.Effect<ReadonlyArray<ChunkRecord>, LedgerError>
  readonly commitCheckpoint: (stageId: string, cacheKey: string, record: ChunkRecord) => Effect.Effect<void, LedgerError>
  readonly clearCheckpoints: (stageId: string, cacheKey: string) => Effect.Effect<void, LedgerError>
  readonly appendEvent: (event: LedgerEvent) => Effect.Effect<void, LedgerError>
  /** Newest first. */
  readonly listRuns: (limit: number) => Effect.Effect<ReadonlyArray<RunRecord>, LedgerError>
  readonly getRun: (runId: string) => Effect.Effect<Option.Option<RunRecord>, LedgerError>
  readonly attemptsOf: (runId: string) => Effect.Effect<ReadonlyArray<AttemptRecord>, LedgerError>
  readonly eventsOf: (runId: string) => Effect.Effect<ReadonlyArray<LedgerEvent>, LedgerError>
}

export class RunLedger extends Context.Tag("pipeline/RunLedger")<RunLedger, RunLedgerService>() {}
