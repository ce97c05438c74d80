/**
 * `runPipeline` from TypeScript: load a pipeline (a file, inline YAML, or a document), with its
 * modules, plan it against the ledger and run it, with the Layers the caller chooses; the result
 * is the run's summary as a typed value (per stage: outcome, attempts, artifact descriptor).
 *
 * What the `pipeline run` command does, minus the terminal: no progress is drawn unless a Progress
 * layer is given, no signal handlers are installed (pass `stop` to interrupt), nothing is printed.
 */
import * as path from "node:path"
import { Deferred, Effect, Layer } from "effect"
import { stringify } from "yaml"
import { ArtifactStoreFs } from "../layers/artifact-store/fs-artifact-store.js"
import { RunLedgerSqlite } from "../layers/ledger/sqlite-ledger.js"
import type { ArtifactDescriptor, ArtifactKind } from "./artifact.js"
import { ledgerPath } from "./cli/product-layers.js"
import { type LedgerError, messageOf, type PipelineInvalid, RunError, type UsageError } from "./errors.js"
import { type Catalog, type LayerOverrides, servicesOf } from "./modules/catalog.js"
import { openPipeline } from "./modules/open-pipeline.js"
import { noSelection, resolveSelection, type SelectionFlags } from "./plan/selection.js"
import { holdWriterLock, type OutputDirLocked, type OutputLockError } from "./run/output-lock.js"
import { executeRun } from "./run/scheduler.js"
import type { RunReport, StageReport } from "./run/stage-report.js"
import { Progress } from "./services/progress.js"
import type { RunLedger } from "./services/run-ledger.js"

/** A pipeline that is not in a file: its YAML text, or the document itself (as YAML would decode). */
export type InlinePipeline =
  | { readonly yaml: string; readonly file?: string }
  | { readonly document: Readonly<Record<string, unknown>>; readonly file?: string }

export interface RunPipelineOptions {
  /**
   * A pipeline file's path, or an inline pipeline. An inline one is named `file` in messages
   * (default `<cwd>/inline-pipeline.yaml`), and its `kinds:` resolve from that file's directory.
   */
  readonly pipeline: string | InlinePipeline
  /** `--set` overrides, e.g. `stages.clusters.with.k=64`. */
  readonly sets?: ReadonlyArray<string>
  /** `--profile NAME`: `<configDir>/NAME.yaml` under the file. */
  readonly profile?: string
  /** Where `default.yaml` and the profiles are (default `./config`). */
  readonly configDir?: string
  /** More modules (paths or packages), as if listed under `kinds:`. */
  readonly modules?: ReadonlyArray<string>
  /**
   * Layers to use in place of those the pipeline's `layers:` settings would build, by layer name:
   * `{ faiss: FaissReference.layer, workers: WorkerPoolInline.layer }`. The others are built
   * from their settings as `pipeline run` builds them.
   */
  readonly layers?: LayerOverrides
  /**
   * More services, for stage kinds whose services no layer definition provides (a test's own);
   * they also take precedence over the defined layers' services.
   */
  readonly services?: Layer.Layer<never, unknown>
  /** The run ledger (default: the SQLite ledger in the output directory, as `pipeline run`). */
  readonly ledger?: Layer.Layer<RunLedger, LedgerError>
  /** Progress rendering (default: none). */
  readonly progress?: Layer.Layer<Progress>
  /** Output directory, in place of `layers.store.dir` / `out/<pipeline>`. */
  readonly outputDir?: string
  /** Which stages (default: all), as `--only`, `--from`, `--until`, `--force`. */
  readonly selection?: Partial<SelectionFlags>
  /** Stages running at once (default 4). */
  readonly concurrency?: number
  /** Completing it interrupts the run (its stages are recorded as interrupted). */
  readonly stop?: Deferred.Deferred<void>
}

/** The run's outcome: per stage its outcome, attempts, time, rows, artifact descriptor and cache key. */
export type RunSummary = RunReport
export type StageSummary = StageReport

/**
 * What running a pipeline may fail with (a failed stage is not a failure: it is in the summary).
 * `OutputDirLocked`: another run, gc or server holds the output directory (see run/output-lock.ts).
 */
export type RunPipelineError = PipelineInvalid | UsageError | RunError | LedgerError | OutputDirLocked | OutputLockError

const silentProgress = Layer.succeed(Progress, { update: () => Effect.void, close: Effect.void })

const extraServices = (services: Layer.Layer<never, unknown> | undefined): Layer.Layer<never, RunError> =>
  services === undefined
    ? (Layer.empty as Layer.Layer<never>)
    : services.pipe(Layer.mapError((error) => new RunError({ message: `cannot start the given services: ${messageOf(error)}` })))

const sourceOf = (pipeline: RunPipelineOptions["pipeline"]): { readonly file: string; readonly text?: string } => {
  if (typeof pipeline === "string") return { file: pipeline }
  const file = pipeline.file ?? path.join(process.cwd(), "inline-pipeline.yaml")
  return { file, text: "yaml" in pipeline ? pipeline.yaml : stringify(pipeline.document) }
}

/** `runPipeline` over a catalog (the shipped modules, or a product's own). */
export const runPipelineIn =
  (catalog: Catalog) =>
  (options: RunPipelineOptions): Effect.Effect<RunSummary, RunPipelineError> =>
    Effect.scoped(Effect.gen(function* () {
      const source = sourceOf(options.pipeline)
      const opened = yield* openPipeline({
        ...source,
        sets: options.sets ?? [],
        profile: options.profile,
        configDir: options.configDir,
        modules: options.modules ?? [],
        catalog
      })
      const spec = options.outputDir === undefined ? opened.spec : { ...opened.spec, outputDir: path.resolve(options.outputDir) }
      const selection = yield* resolveSelection(spec, { ...noSelection, ...options.selection })
      // Held until the run's ledger and store are closed: a second run, a gc or a server in the
      // same directory is refused here rather than failing later inside SQLite.
      yield* holdWriterLock(spec.outputDir, "runPipeline")
      const runtime = Layer.mergeAll(
        options.ledger ?? RunLedgerSqlite.layer(ledgerPath(spec.outputDir)),
        ArtifactStoreFs.layer(spec.outputDir),
        options.progress ?? silentProgress
      )
      const argv = ["run", source.file, ...(options.sets ?? []).flatMap((s) => ["--set", s])]
      return yield* executeRun(spec, opened.catalog.registry, {
        concurrency: options.concurrency ?? 4,
        selection,
        argv,
        ...(options.stop === undefined ? {} : { stop: options.stop })
      }).pipe(
        Effect.provide(runtime),
        Effect.provide(extraServices(options.services)),
        Effect.provide(servicesOf(opened.catalog, spec, options.layers))
      )
    }))

/** The stage's summary; fails with RunError naming the stages when there is no such stage. */
export const stageOf = (summary: RunSummary, stageId: string): Effect.Effect<StageSummary, RunError> => {
  const stage = summary.stages.find((s) => s.id === stageId)
  return stage === undefined
    ? Effect.fail(new RunError({ message: `run ${summary.runId} has no stage '${stageId}'; its stages: ${summary.stages.map((s) => s.id).join(", ")}` }))
    : Effect.succeed(stage)
}

/**
 * The artifact descriptor a stage made or reused; fails with RunError when it has none. With the
 * artifact kind, the descriptor is checked to be of that kind and typed as its descriptor.
 */
export function artifactOf(summary: RunSummary, stageId: string): Effect.Effect<ArtifactDescriptor, RunError>
export function artifactOf<A extends ArtifactDescriptor>(summary: RunSummary, stageId: string, kind: ArtifactKind<A>): Effect.Effect<A, RunError>
export function artifactOf(summary: RunSummary, stageId: string, kind?: ArtifactKind): Effect.Effect<ArtifactDescriptor, RunError> {
  return Effect.flatMap(stageOf(summary, stageId), (stage) => {
    if (stage.artifact === null) {
      return Effect.fail(
        new RunError({ message: `stage '${stageId}' of run ${summary.runId} has no artifact (${stage.outcome}${stage.detail === "" ? "" : `: ${stage.detail}`})` })
      )
    }
    if (kind !== undefined && stage.artifact.kind !== kind.name) {
      return Effect.fail(new RunError({ message: `stage '${stageId}' made a '${stage.artifact.kind}' artifact, not '${kind.name}'` }))
    }
    return Effect.succeed(stage.artifact)
  })
}
