/**
 * One try of a stage: prepare its work directory (kept when resuming from committed chunks),
 * record the attempt, run the kind with its per-attempt services, check the artifact it returns
 * against the kind's output Schema, and commit attempt + artifact in one ledger transaction.
 * A failure, timeout or interruption is recorded on the attempt before it propagates.
 */
import { Duration, Effect, Schema } from "effect"
import type { ArtifactDescriptor } from "../artifact.js"
import { descriptorFromStore, descriptorToStore } from "../artifact-paths.js"
import { StageError, StageTimeout, type ArtifactStoreError, type LedgerError } from "../errors.js"
import { ArtifactStore } from "../services/artifact-store.js"
import { Checkpoint } from "../services/checkpoint.js"
import { Progress, StageProgress } from "../services/progress.js"
import { RunLedger, type ArtifactRecord, type KeyMaterial } from "../services/run-ledger.js"
import type { StageSpec } from "../spec/pipeline-spec.js"
import type { StageKind } from "../stage-kind.js"
import { ledgerCheckpoint } from "./checkpoint.js"
import type { EventLog } from "./event-log.js"
import { isRetryable } from "./retry-policy.js"
import { makeStageProgress } from "./stage-progress.js"

export type AttemptError = StageError | StageTimeout | LedgerError | ArtifactStoreError

export interface AttemptInput<R> {
  readonly runId: string
  readonly stage: StageSpec
  readonly kind: StageKind<R>
  readonly inputs: Readonly<Record<string, ArtifactDescriptor | ReadonlyArray<ArtifactDescriptor>>>
  readonly cacheKey: string
  readonly material: KeyMaterial
  /** Start from scratch even if chunks were committed (`--force`). */
  readonly fresh: boolean
  readonly events: EventLog
}

export interface AttemptResult {
  readonly artifact: ArtifactRecord
  readonly resumedChunks: number
}

const errorMessage = (error: AttemptError): string => error.message

export const runAttempt = <R>(
  input: AttemptInput<R>,
  attemptNo: number
): Effect.Effect<AttemptResult, AttemptError, R | RunLedger | ArtifactStore | Progress> =>
  Effect.gen(function* () {
    const ledger = yield* RunLedger
    const store = yield* ArtifactStore
    const progress = yield* Progress
    const { stage, kind, cacheKey, events } = input

    if (input.fresh && attemptNo === 1) yield* ledger.clearCheckpoints(stage.id, cacheKey)
    const committed = yield* ledger.checkpoints(stage.id, cacheKey)
    const workDir =
      committed.length > 0 ? yield* store.stageDir(stage.id, cacheKey) : yield* store.resetStageDir(stage.id, cacheKey)
    const attempt = yield* ledger.startAttempt({
      runId: input.runId,
      stageId: stage.id,
      attempt: attemptNo,
      cacheKey,
      resumedChunks: committed.length
    })
    yield* events.emit("attempt-started", stage.id, { attempt: attemptNo, cacheKey, resumedChunks: committed.length })
    yield* progress.update({ _tag: "StageStarted", stage: stage.id, attempt: attemptNo })

    const stageProgress = yield* makeStageProgress(stage.id)
    const decodeOutput = Schema.decodeUnknown(kind.output.schema)
    let body: Effect.Effect<ArtifactDescriptor, AttemptError, R | ArtifactStore> = kind
      .run({
        stageId: stage.id,
        runId: input.runId,
        attempt: attemptNo,
        config: stage.config,
        inputs: input.inputs,
        workDir,
        cacheKey
      })
      .pipe(
        Effect.provideService(Checkpoint, ledgerCheckpoint(ledger, stage.id, cacheKey, (record) =>
          // One event per committed chunk: the run's log then shows each chunk committed once (and
          // when), whatever delivered its data (a thread, a cluster runner, twice).
          events.emit("chunk-committed", stage.id, { attempt: attemptNo, chunk: record.chunk, rows: record.rows })
        )),
        Effect.provideService(StageProgress, stageProgress),
        // A bug in a stage (a thrown exception) fails that stage, not the whole process.
        Effect.catchAllDefect((defect) =>
          Effect.fail(
            new StageError({
              message: `unexpected error in stage ${stage.id}: ${defect instanceof Error ? (defect.stack ?? defect.message) : String(defect)}`,
              retryable: false,
              cause: defect
            })
          )
        ),
        Effect.flatMap((descriptor) =>
          decodeOutput(descriptor).pipe(
            Effect.mapError(
              (error) =>
                new StageError({
                  message: `stage ${stage.id} returned an artifact that is not a valid '${kind.output.name}': ${error.message}`,
                  retryable: false
                })
            )
          )
        )
      )
    if (stage.timeoutMs !== null) {
      const timeoutMs = stage.timeoutMs
      body = body.pipe(
        Effect.timeoutFail({
          duration: Duration.millis(timeoutMs),
          onTimeout: () => new StageTimeout({ stage: stage.id, timeoutMs })
        })
      )
    }
    const descriptor = yield* body.pipe(
      Effect.onInterrupt(() =>
        Effect.all([
          ledger.endAttempt(attempt.id, "interrupted", "interrupted").pipe(Effect.ignoreLogged),
          events.emit("attempt-interrupted", stage.id, { attempt: attemptNo })
        ])
      ),
      Effect.tapError((error) =>
        Effect.all([
          ledger
            .endAttempt(attempt.id, error._tag === "StageTimeout" ? "timed-out" : "failed", errorMessage(error))
            .pipe(Effect.ignoreLogged),
          events.emit("attempt-failed", stage.id, {
            attempt: attemptNo,
            error: errorMessage(error),
            retryable: isRetryable(error)
          })
        ])
      )
    )
    const rows = "rows" in descriptor && typeof descriptor.rows === "number" ? descriptor.rows : null
    // What the directory holds now is what a later run checks before reusing the artifact.
    const files = yield* store.recordFiles(workDir).pipe(
      Effect.onInterrupt(() => ledger.endAttempt(attempt.id, "interrupted", "interrupted").pipe(Effect.ignoreLogged)),
      Effect.tapError((error) => ledger.endAttempt(attempt.id, "failed", error.message).pipe(Effect.ignoreLogged))
    )
    const record = yield* ledger.commitArtifact(
      attempt.id,
      {
        stageId: stage.id,
        cacheKey,
        kind: descriptor.kind,
        digest: descriptor.digest,
        descriptor: descriptorToStore(store.root, descriptor),
        keyMaterial: input.material,
        files
      },
      rows
    ).pipe(
      // A commit the ledger refuses (a full disk: SQLITE_FULL) ends the attempt as failed where it
      // still can, rather than leaving it "running" until a later run marks it crashed.
      Effect.tapError((error) => ledger.endAttempt(attempt.id, "failed", error.message).pipe(Effect.ignoreLogged))
    )
    const artifact: ArtifactRecord = { ...record, descriptor: descriptorFromStore(store.root, record.descriptor) }
    // The artifact is committed; its chunk records are no longer needed to resume anything.
    yield* ledger.clearCheckpoints(stage.id, cacheKey)
    yield* events.emit("attempt-succeeded", stage.id, { attempt: attemptNo, digest: descriptor.digest, rows })
    return { artifact, resumedChunks: committed.length }
  })
