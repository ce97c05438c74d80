/**
 * Runs pipelines written inline in tests through the public `runPipelineIn` (the real loader,
 * planner and scheduler), with Layers chosen per test: the in-memory ledger or the SQLite one,
 * and the test's own stage kinds and services.
 */
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Layer } from "effect"
import { ArtifactStoreFs } from "../../src/layers/artifact-store/fs-artifact-store.js"
import { MemoryLedgerState, RunLedgerMemory } from "../../src/layers/ledger/memory-ledger.js"
import { RunLedgerSqlite } from "../../src/layers/ledger/sqlite-ledger.js"
import { planPipeline } from "../../src/runtime/plan/planner.js"
import { noSelection, resolveSelection, type SelectionFlags } from "../../src/runtime/plan/selection.js"
import type { LedgerError } from "../../src/runtime/errors.js"
import type { StageRegistry } from "../../src/runtime/registry.js"
import { Progress } from "../../src/runtime/services/progress.js"
import type { RunLedger } from "../../src/runtime/services/run-ledger.js"
import { shippedCatalog } from "../../src/runtime/modules/catalog.js"
import { openPipeline } from "../../src/runtime/modules/open-pipeline.js"
import { runPipelineIn } from "../../src/runtime/run-pipeline.js"
import { probeRegistry } from "./probe-kinds.js"

export const tempDir = (prefix = "pipeline-test-") => mkdtempSync(join(tmpdir(), prefix))

/** Writes a pipeline file whose output directory is `<dir>/out`. */
export const writePipeline = (dir: string, yaml: string, name = "pipeline.yaml"): string => {
  const file = join(dir, name)
  writeFileSync(file, yaml.replaceAll("$OUT", join(dir, "out")))
  return file
}

export const silentProgress = Layer.succeed(Progress, { update: () => Effect.void, close: Effect.void })

export interface MemoryChoice {
  readonly _tag: "memory"
  readonly state: MemoryLedgerState
}
export type LedgerChoice = MemoryChoice | { readonly _tag: "sqlite"; readonly path: string }

export const memoryLedger = (): MemoryChoice => ({ _tag: "memory", state: new MemoryLedgerState() })

export const ledgerLayer = (choice: LedgerChoice): Layer.Layer<RunLedger, LedgerError> =>
  choice._tag === "memory" ? RunLedgerMemory.layerWith({ state: choice.state }) : RunLedgerSqlite.layer(choice.path)

export interface RunOptions {
  readonly ledger: LedgerChoice
  readonly concurrency?: number
  readonly flags?: Partial<SelectionFlags>
  readonly sets?: ReadonlyArray<string>
  readonly registry?: StageRegistry<never>
}

/** Options for pipelines whose kinds need product services (Faiss, WorkerPool, ...). */
export interface ServiceRunOptions<R> extends Omit<RunOptions, "registry"> {
  readonly registry: StageRegistry<R>
  readonly services: Layer.Layer<R, unknown>
}

/** A catalog of just these kinds (no layer definitions: the test gives the services). */
const catalogOf = (registry: StageRegistry<unknown>) => shippedCatalog([{ kinds: [...registry.kinds.values()], layers: [], tasks: [] }])

/** Runs through the public `runPipelineIn`, as a user's test would, with the chosen ledger. */
const run = (file: string, options: Omit<RunOptions, "registry">, registry: StageRegistry<unknown>, services?: Layer.Layer<never, unknown>) =>
  runPipelineIn(catalogOf(registry))({
    pipeline: file,
    sets: options.sets ?? [],
    selection: options.flags ?? {},
    concurrency: options.concurrency ?? 4,
    ledger: ledgerLayer(options.ledger),
    progress: silentProgress,
    ...(services === undefined ? {} : { services })
  })

export const runPipeline = (file: string, options: RunOptions) =>
  run(file, options, (options.registry ?? probeRegistry) as StageRegistry<unknown>)

export const runPipelineWith = <R>(file: string, options: ServiceRunOptions<R>) =>
  run(file, options, options.registry as StageRegistry<unknown>, options.services as Layer.Layer<never, unknown>)

export const planFor = (file: string, options: RunOptions) =>
  Effect.gen(function* () {
    const registry = (options.registry ?? probeRegistry) as StageRegistry<unknown>
    const { spec, catalog } = yield* openPipeline({ file, sets: options.sets ?? [], catalog: catalogOf(registry) })
    const selection = yield* resolveSelection(spec, { ...noSelection, ...options.flags })
    const layers = Layer.mergeAll(ledgerLayer(options.ledger), ArtifactStoreFs.layer(spec.outputDir), silentProgress)
    return yield* planPipeline(spec, catalog.registry, selection).pipe(Effect.provide(layers))
  })

export const outcomes = (report: { readonly stages: ReadonlyArray<{ readonly id: string; readonly outcome: string }> }) =>
  Object.fromEntries(report.stages.map((s) => [s.id, s.outcome]))
