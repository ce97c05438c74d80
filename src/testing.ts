/**
 * effect-pipelines/testing: the test Layers, and one call to run a pipeline with them.
 *
 * - `RunLedgerMemory`: the run ledger in memory (same contract as the SQLite one);
 * - `ArtifactStoreFs` over a temp directory (`tempOutputDir`): the real store, thrown away after;
 * - `FaissReference`: exact, pure-TypeScript k-means and indexes for small data;
 * - `WorkerPoolInline`: worker tasks on the calling thread, same results as the thread pool;
 * - `ProgressRecorder`: records every progress update for assertions.
 *
 * `runTestPipeline` runs a pipeline file or inline pipeline with all of them by default, each
 * replaceable, and returns the summary with the output directory to look at.
 */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, type Layer } from "effect"
import { FaissReference } from "./layers/faiss/reference-layer.js"
import { MemoryLedgerState, RunLedgerMemory } from "./layers/ledger/memory-ledger.js"
import { ProgressRecorder } from "./layers/progress/recorder-progress.js"
import { WorkerPoolInline } from "./layers/workers/inline.js"
import { runPipeline } from "./run.js"
import type { LayerOverrides } from "./runtime/modules/catalog.js"
import type { RunPipelineError, RunPipelineOptions, RunSummary } from "./runtime/run-pipeline.js"
import type { Progress } from "./runtime/services/progress.js"

export { ArtifactStoreFs } from "./layers/artifact-store/fs-artifact-store.js"
export { FaissReference } from "./layers/faiss/reference-layer.js"
export { MemoryLedgerState, RunLedgerMemory } from "./layers/ledger/memory-ledger.js"
export { ProgressRecorder, type ProgressRecorderService } from "./layers/progress/recorder-progress.js"
export { WorkerPoolInline } from "./layers/workers/inline.js"
export { SqliteLive } from "./layers/sqlite/service.js"

/** A new empty temp directory for a test's outputs. */
export const tempOutputDir = (prefix = "effect-pipelines-test-"): string => mkdtempSync(join(tmpdir(), prefix))

/** The shipped services' test Layers, by layer name: reference FAISS, inline workers. */
export const testLayers: LayerOverrides = {
  faiss: FaissReference as Layer.Layer<never>,
  workers: WorkerPoolInline.layer as Layer.Layer<never>
}

export interface TestRunOptions extends Omit<RunPipelineOptions, "ledger" | "outputDir" | "progress"> {
  /** The ledger's tables; pass the same state to two runs to see reuse (default: a fresh one). */
  readonly ledgerState?: MemoryLedgerState
  /** Where outputs go (default: a new temp directory). */
  readonly outputDir?: string
  /** Progress (default: a recorder, so nothing is drawn). */
  readonly progress?: Layer.Layer<Progress>
}

export interface TestRun extends RunSummary {
  /** The ledger's tables after the run, to run again over them. */
  readonly ledgerState: MemoryLedgerState
}

/**
 * Runs a pipeline with the test Layers: a memory ledger, a temp output directory, reference FAISS,
 * inline workers, a progress recorder; `options.layers` replaces any of them by layer name, and
 * layers not replaced (a user module's own) are built from the pipeline's settings.
 */
export const runTestPipeline = (options: TestRunOptions): Effect.Effect<TestRun, RunPipelineError> => {
  const ledgerState = options.ledgerState ?? new MemoryLedgerState()
  const run = runPipeline({
    ...options,
    layers: { ...testLayers, ...options.layers },
    ledger: RunLedgerMemory.layerWith({ state: ledgerState }),
    outputDir: options.outputDir ?? tempOutputDir(),
    progress: options.progress ?? (ProgressRecorder.layer as Layer.Layer<Progress>)
  })
  return Effect.map(run, (summary) => ({ ...summary, ledgerState }))
}
