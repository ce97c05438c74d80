/**
 * Runs pipelines written inline in tests through the real loader, planner and scheduler, with
 * Layers chosen per test: the in-memory ledger or the SQLite one, a temp or given directory.
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
import { executeRun } from "../../src/runtime/run/scheduler.js"
import { loadPipeline } from "../../src/runtime/spec/load.js"
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

const prepare = (file: string, options: RunOptions) =>
  Effect.gen(function* () {
    const registry = options.registry ?? probeRegistry
    const spec = yield* loadPipeline({ file, sets: options.sets ?? [], registry: registry as StageRegistry<unknown> })
    const selection = yield* resolveSelection(spec, { ...noSelection, ...options.flags })
    const layers = Layer.mergeAll(ledgerLayer(options.ledger), ArtifactStoreFs.layer(spec.outputDir), silentProgress)
    return { spec, selection, registry, layers }
  })

export const runPipeline = (file: string, options: RunOptions) =>
  Effect.gen(function* () {
    const { spec, selection, registry, layers } = yield* prepare(file, options)
    return yield* executeRun(spec, registry, { concurrency: options.concurrency ?? 4, selection, argv: ["run", file] }).pipe(
      Effect.provide(layers)
    )
  })

export const runPipelineWith = <R>(file: string, options: ServiceRunOptions<R>) =>
  Effect.gen(function* () {
    const spec = yield* loadPipeline({ file, sets: options.sets ?? [], registry: options.registry as StageRegistry<unknown> })
    const selection = yield* resolveSelection(spec, { ...noSelection, ...options.flags })
    const layers = Layer.mergeAll(ledgerLayer(options.ledger), ArtifactStoreFs.layer(spec.outputDir), silentProgress, options.services)
    return yield* executeRun(spec, options.registry, { concurrency: options.concurrency ?? 4, selection, argv: ["run", file] }).pipe(
      Effect.provide(layers)
    )
  })

export const planFor = (file: string, options: RunOptions) =>
  Effect.gen(function* () {
    const { spec, selection, registry, layers } = yield* prepare(file, options)
    return yield* planPipeline(spec, registry, selection).pipe(Effect.provide(layers))
  })

export const outcomes = (report: { readonly stages: ReadonlyArray<{ readonly id: string; readonly outcome: string }> }) =>
  Object.fromEntries(report.stages.map((s) => [s.id, s.outcome]))
