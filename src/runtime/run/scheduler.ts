/**
 * The scheduler: executes a plan. Every stage gets a fiber that waits for the stages it needs,
 * decides again (reuse / resume / run) now that its inputs are final, then runs under the run's
 * concurrency limit and the named resources it declares, retrying retryable errors with backoff.
 * A failed stage skips its descendants; independent branches go on, so their work is kept.
 * When `stop` completes (Ctrl-C, SIGTERM), running stages are interrupted, their attempts are
 * recorded as interrupted, and the run ends as `interrupted` with a report.
 */
import { join } from "node:path"
import { Console, Deferred, Effect } from "effect"
import type { ArtifactDescriptor } from "../artifact.js"
import { RunError, type LedgerError } from "../errors.js"
import { cacheKeyOf, keyMaterialOf, listDigest } from "../plan/cache-key.js"
import { decideAction } from "../plan/decide.js"
import { planPipeline, type PlannedStage } from "../plan/planner.js"
import type { Selection } from "../plan/selection.js"
import type { StageRegistry } from "../registry.js"
import type { ArtifactStore } from "../services/artifact-store.js"
import { Progress } from "../services/progress.js"
import { RunLedger, type ArtifactRecord, type RunStatus } from "../services/run-ledger.js"
import type { PipelineSpec } from "../spec/pipeline-spec.js"
import { runAttempt, type AttemptError } from "./attempt.js"
import { makeEventLog } from "./event-log.js"
import { isRetryable, retrySchedule } from "./retry-policy.js"
import { throughputOf, type RunReport, type StageOutcome, type StageReport } from "./stage-report.js"

export interface RunOptions {
  /** Stages running at once, at most. */
  readonly concurrency: number
  readonly selection: Selection
  /** The command line, kept in the ledger. */
  readonly argv: ReadonlyArray<string>
  /** Completes when the run must stop (signal); running stages are interrupted. */
  readonly stop?: Deferred.Deferred<void>
}

export const executeRun = <R>(
  spec: PipelineSpec,
  registry: StageRegistry<R>,
  options: RunOptions
): Effect.Effect<RunReport, RunError | LedgerError, R | RunLedger | ArtifactStore | Progress> =>
  Effect.gen(function* () {
    const ledger = yield* RunLedger
    const progress = yield* Progress
    const recovered = yield* ledger.recoverCrashed
    const plan = yield* planPipeline(spec, registry, options.selection)
    const run = yield* ledger.openRun({ pipeline: spec.name, file: spec.file, argv: options.argv })
    const events = makeEventLog(ledger, run.id, join(spec.outputDir, "runs", run.id, "events.jsonl"))
    const started = Date.now()
    yield* events.emit("run-started", null, {
      pipeline: spec.name,
      file: spec.file,
      concurrency: options.concurrency,
      recoveredCrashedRuns: recovered,
      plan: plan.stages.map((p) => ({ stage: p.stage.id, action: p.action._tag }))
    })

    yield* progress.update({ _tag: "RunStarted", stages: plan.stages.filter((p) => p.action._tag !== "Skip").length })
    const slots = yield* Effect.makeSemaphore(Math.max(1, options.concurrency))
    const resources = new Map<string, Effect.Semaphore>()
    for (const [name, size] of Object.entries(spec.resources)) resources.set(name, yield* Effect.makeSemaphore(size))
    const outputs = new Map<string, Deferred.Deferred<ArtifactRecord | null>>()
    for (const p of plan.stages) outputs.set(p.stage.id, yield* Deferred.make<ArtifactRecord | null>())
    // Filled by the stage fibers as they end; read once all of them have.
    const reports = new Map<string, StageReport>()

    const withSlots = <A, E, R2>(resourceNames: ReadonlyArray<string>, effect: Effect.Effect<A, E, R2>) => {
      // Named resources first (in a fixed order, so two stages never wait on each other), then a
      // run slot: a stage waiting for a resource does not hold a slot another stage could use.
      let guarded = slots.withPermits(1)(effect)
      for (const name of [...resourceNames].sort().reverse()) guarded = resources.get(name)!.withPermits(1)(guarded)
      return guarded
    }

    const runStage = (planned: PlannedStage) => {
      const { stage, selected } = planned
      const output = outputs.get(stage.id)!
      const kind = registry.kinds.get(stage.kind)!
      // Set when the inputs are ready, then again when the first attempt starts: waiting for
      // upstream stages, a run slot or a resource is not the stage's time.
      let stageStarted = Date.now()
      let attempts = 0
      let resumedChunks = 0
      // Rows committed by earlier runs before this run's first attempt (a retry in this run that
      // resumes from its own first attempt's chunks did process them here).
      let resumedRows = 0
      const finish = (outcome: StageOutcome, artifact: ArtifactRecord | null, detail: string) =>
        Effect.gen(function* () {
          const rows = artifact !== null && artifact.descriptor !== null && typeof artifact.descriptor === "object"
            ? (artifact.descriptor as { rows?: unknown }).rows
            : null
          const report: StageReport = {
            id: stage.id,
            kind: stage.kind,
            outcome,
            attempts,
            durationMs: outcome === "reused" || outcome === "not-selected" || attempts === 0 ? 0 : Date.now() - stageStarted,
            rows: typeof rows === "number" ? rows : null,
            resumedChunks,
            resumedRows,
            detail,
            artifact: artifact === null ? null : (artifact.descriptor as ArtifactDescriptor),
            cacheKey: artifact?.cacheKey ?? null
          }
          reports.set(stage.id, report)
          if (outcome !== "not-selected") {
            // The artifact's cache key goes with the event, so a run's outputs (made or reused) can
            // be found from its ledger rows alone (`pipeline serve --run`).
            const data = { ...(detail === "" ? {} : { detail }), ...(artifact === null ? {} : { cacheKey: artifact.cacheKey }) }
            yield* events.emit(`stage-${outcome}`, stage.id, data)
            const throughput = throughputOf(report)
            yield* progress.update({ _tag: "StageEnded", stage: stage.id, outcome, ...(throughput === null ? {} : { throughput }) })
          }
          yield* Deferred.succeed(output, artifact)
        })

      const body = Effect.gen(function* () {
        const upstream = new Map<string, ArtifactRecord | null>()
        for (const id of stage.needs) upstream.set(id, yield* Deferred.await(outputs.get(id)!))
        stageStarted = Date.now()
        if (planned.action._tag === "Skip") return yield* finish("not-selected", null, planned.action.reason)
        const missing = [...upstream].filter(([, a]) => a === null).map(([id]) => id)
        if (missing.length > 0) return yield* finish("skipped", null, `upstream ${missing.join(", ")} did not succeed`)

        const inputs: Record<string, ArtifactDescriptor | ReadonlyArray<ArtifactDescriptor>> = {}
        const digests: Record<string, string> = {}
        for (const [name, from] of Object.entries(stage.inputs)) {
          const artifact = upstream.get(from)!
          inputs[name] = artifact.descriptor as ArtifactDescriptor
          digests[name] = artifact.digest
        }
        for (const [name, sources] of Object.entries(stage.inputLists)) {
          const artifacts = sources.map((from) => upstream.get(from)!)
          inputs[name] = artifacts.map((a) => a.descriptor as ArtifactDescriptor)
          // Order matters (the stage gets the list in this order), so the digests keep it.
          digests[name] = listDigest(artifacts.map((a) => a.digest))
        }
        const material = keyMaterialOf(stage, kind, digests, spec.layers)
        const cacheKey = cacheKeyOf(material)
        const forced = selected && options.selection.forced.has(stage.id)
        const action = yield* decideAction(stage.id, material, cacheKey, forced)
        if (action._tag === "Reuse") {
          return yield* finish("reused", action.artifact, `cache key ${cacheKey.slice(0, 12)}`)
        }
        if (!selected) {
          return yield* finish("failed", null, "needed by a selected stage but has no reusable output")
        }
        if (!forced) {
          resumedRows = (yield* ledger.checkpoints(stage.id, cacheKey)).reduce((sum, chunk) => sum + chunk.rows, 0)
        }
        const attemptInput = { runId: run.id, stage, kind, inputs, cacheKey, material, fresh: forced, events }
        const tryOnce = Effect.suspend(() => {
          attempts += 1
          const attempt = attempts
          return withSlots(
            stage.resources,
            Effect.suspend(() => {
              // The stage's time starts with its first attempt, once it holds its slot and resources.
              if (attempt === 1) stageStarted = Date.now()
              return runAttempt(attemptInput, attempt)
            })
          )
        })
        const result = yield* tryOnce.pipe(
          Effect.retry({
            schedule: retrySchedule(stage.retry),
            while: (error: AttemptError) => isRetryable(error)
          }),
          Effect.either
        )
        if (result._tag === "Right") {
          resumedChunks = result.right.resumedChunks
          return yield* finish("succeeded", result.right.artifact, resumedChunks > 0 ? `resumed after ${resumedChunks} chunks` : "")
        }
        const error = result.left
        return yield* finish(error._tag === "StageTimeout" ? "timed-out" : "failed", null, error.message)
      })
      return body.pipe(
        Effect.onInterrupt(() =>
          Effect.suspend(() =>
            reports.has(stage.id) ? Effect.void : finish("interrupted", null, "the run was interrupted")
          )
        )
      )
    }

    const all = Effect.forEach(plan.stages, runStage, { concurrency: "unbounded", discard: true })
    const stop = options.stop
    const interrupted = stop === undefined
      ? yield* all.pipe(Effect.as(false))
      : yield* Effect.raceFirst(all.pipe(Effect.as(false)), Deferred.await(stop).pipe(Effect.as(true)))

    const stages = plan.stages.map(
      (p): StageReport =>
        reports.get(p.stage.id) ?? {
          id: p.stage.id,
          kind: p.stage.kind,
          outcome: "interrupted",
          attempts: 0,
          durationMs: 0,
          rows: null,
          resumedChunks: 0,
          resumedRows: 0,
          detail: "the run was interrupted",
          artifact: null,
          cacheKey: null
        }
    )
    const status: RunStatus = interrupted
      ? "interrupted"
      : stages.some((s) => s.outcome === "failed" || s.outcome === "timed-out" || s.outcome === "skipped")
        ? "failed"
        : "succeeded"
    // A ledger that cannot record the end (disk full) must not lose the report: the run stays
    // `running` in the ledger until the next run or gc finds its process gone and marks it crashed.
    yield* ledger.finishRun(run.id, status).pipe(
      Effect.catchAll((error) => Console.error(`warning: could not record the end of run ${run.id} in the ledger: ${error.message}`))
    )
    const durationMs = Date.now() - started
    yield* events.emit("run-finished", null, { status, durationMs })
    yield* progress.close
    return { runId: run.id, pipeline: spec.name, status, stages, durationMs, outputDir: spec.outputDir, eventLogPath: events.path }
  })
