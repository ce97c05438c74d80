/**
 * effect-pipelines: declarative data pipelines on Effect.
 *
 * A pipeline is a YAML file of stages; each stage is a use of a **stage kind** (`defineStageKind`):
 * an Effect with a Schema-typed config, named inputs and an output **artifact** (`defineArtifactKind`),
 * which asks for the services it needs by Tag (`ArtifactStore`, `Checkpoint`, `StageProgress`,
 * `Sqlite`, `Faiss`, `WorkerPool`, or a user's own, configured with `defineLayer`). CPU-bound work
 * goes to the worker pool as typed tasks (`defineWorkerTask`).
 *
 * Run a pipeline with the `pipeline` command, or from TypeScript with `runPipeline`; tests use
 * `effect-pipelines/testing`. A product built on this package starts the same command line with
 * `runCli(argv, { modules, commands })`.
 *
 * @packageDocumentation
 */

// Stage kinds and their config fields.
export {
  defineStageKind,
  field,
  inputList,
  required,
  type StageContext,
  type StageFailure,
  type StageInput,
  type StageKind,
  type StageKindDefinition,
  type StageServices
} from "./runtime/stage-kind.js"

// Artifacts: descriptors that point at persisted data.
export { defineArtifactKind, type ArtifactDescriptor, type ArtifactKind, type ArtifactOf } from "./runtime/artifact.js"

// Errors, recognised by tag.
export {
  ArtifactStoreError,
  formatIssue,
  isStageError,
  LedgerError,
  messageOf,
  PipelineInvalid,
  RunError,
  StageError,
  StageTimeout,
  UsageError,
  type SpecIssue
} from "./runtime/errors.js"

// Services a stage may ask for.
export { ArtifactStore, type ArtifactStoreService } from "./runtime/services/artifact-store.js"
export { Checkpoint, type CheckpointService, type ChunkRecord } from "./runtime/services/checkpoint.js"
export { StageProgress, type StageProgressService, Progress, type ProgressService, type ProgressUpdate } from "./runtime/services/progress.js"
export { RunLedger, type RunLedgerService, type RunRecord, type AttemptRecord, type ArtifactRecord } from "./runtime/services/run-ledger.js"
export * from "./services/faiss.js"
export * from "./services/sqlite.js"
export * from "./services/worker-pool.js"

// Layers a pipeline file configures, and worker tasks.
export { defineLayer, type LayerBuildFailure, type LayerDefinition, type LayerDefinitionSpec } from "./runtime/layer-definition.js"
export * from "./runtime/worker-task.js"
export type { ModuleContents, WorkerTaskRef } from "./runtime/modules/module-contents.js"

// Running pipelines from TypeScript.
export { runPipeline, shippedCatalog } from "./run.js"
export {
  artifactOf,
  stageOf,
  type InlinePipeline,
  type RunPipelineError,
  type RunPipelineOptions,
  type RunSummary,
  type StageSummary
} from "./runtime/run-pipeline.js"
export type { StageOutcome } from "./runtime/run/stage-report.js"
export type { LayerOverrides } from "./runtime/modules/catalog.js"

// The shipped workload: its module (stage kinds, layers) and artifact kinds with their readers.
export { shippedModule, FaissLayer, WorkersLayer, SqliteLayer } from "./shipped.js"
export * from "./artifacts/index.js"

// The command line, for products built on this package.
export { runCli } from "./runtime/cli/main.js"
export type { Product, ProductCommand } from "./runtime/cli/run-command.js"
