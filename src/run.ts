/** `runPipeline` over the shipped modules: the public entry point for running from TypeScript. */
import type { Effect } from "effect"
import { type Catalog, shippedCatalog as catalogOf } from "./runtime/modules/catalog.js"
import { runPipelineIn, type RunPipelineError, type RunPipelineOptions, type RunSummary } from "./runtime/run-pipeline.js"
import { shippedModule } from "./shipped.js"

/** The shipped stage kinds, layers and tasks, as `pipeline` starts with. */
export const shippedCatalog: Catalog = catalogOf([shippedModule])

/**
 * Runs a pipeline (a file, inline YAML or a document) with the shipped kinds, the modules its
 * `kinds:` names and `options.modules`, and the Layers of its `layers:` settings, any of them
 * replaced by `options.layers`. Resolves with the run's summary, also when a stage failed (see
 * `summary.status`); fails only when the pipeline is invalid or the run cannot start.
 *
 * @example
 * const summary = yield* runPipeline({ pipeline: "pipelines/quick.yaml", sets: ["params.profiles=1000"] })
 * const table = yield* artifactOf(summary, "profiles")
 */
export const runPipeline = (options: RunPipelineOptions): Effect.Effect<RunSummary, RunPipelineError> =>
  runPipelineIn(shippedCatalog)(options)
