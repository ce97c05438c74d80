/**
 * Test helpers for the profile data stages: a registry of the three kinds, a pipeline file for
 * them, running it with a chosen WorkerPool layer, and reading the artifacts the run committed.
 */
import { Effect, Layer, Option } from "effect"
import { SqliteLive } from "../../../src/layers/sqlite/service.js"
import { WorkerPoolInline } from "../../../src/layers/workers/inline.js"
import { WorkerPoolThreads } from "../../../src/layers/workers/threads.js"
import type { WorkerPool } from "../../../src/layers/workers/service.js"
import { descriptorFromStore } from "../../../src/runtime/artifact-paths.js"
import { makeRegistry } from "../../../src/runtime/registry.js"
import { RunLedger } from "../../../src/runtime/services/run-ledger.js"
import { dataKinds } from "../../../src/stages/profiles/data-kinds.js"
import { ledgerLayer, runPipelineWith, writePipeline, type LedgerChoice } from "../../runtime/harness.js"

export const dataRegistry = makeRegistry([...dataKinds])

export type PoolChoice = "inline" | number

export const poolLayer = (pool: PoolChoice): Layer.Layer<WorkerPool, unknown> =>
  pool === "inline" ? WorkerPoolInline.layer : WorkerPoolThreads.layer({ size: pool })

export const dataServices = (pool: PoolChoice) => Layer.merge(SqliteLive.layer, poolLayer(pool))

export interface DataPipelineOptions {
  readonly count: number
  readonly chunkSize: number
  readonly seed?: number
  readonly dim?: number
  readonly mode?: "attributes" | "seed-random"
  /** Extra `stages:` lines, already indented. */
  readonly extra?: string
}

export const dataPipelineYaml = (o: DataPipelineOptions): string => `
pipeline: data
layers: { store: { dir: $OUT } }
stages:
  profiles: { uses: generate-profiles, with: { count: ${o.count}, chunkSize: ${o.chunkSize}, seed: ${o.seed ?? 42} } }
  vectors: { uses: feature-vectors, needs: [profiles] }
  embeddings: { uses: embeddings, needs: [profiles], with: { dim: ${o.dim ?? 32}, mode: ${o.mode ?? "attributes"} } }
${o.extra ?? ""}`

export const writeDataPipeline = (dir: string, o: DataPipelineOptions): string => writePipeline(dir, dataPipelineYaml(o))

export const runData = (file: string, ledger: LedgerChoice, pool: PoolChoice, concurrency = 3) =>
  runPipelineWith(file, { ledger, registry: dataRegistry, services: dataServices(pool), concurrency })

/**
 * The descriptor of a stage's latest committed artifact, its store-relative paths resolved against
 * the pipeline's output directory (`<dir>/out` for `writeDataPipeline(dir, ...)`).
 */
export const artifactOf = <A = Record<string, unknown>>(ledger: LedgerChoice, stageId: string, outputDir: string) =>
  Effect.gen(function* () {
    const l = yield* RunLedger
    const found = yield* l.latestArtifact(stageId)
    if (Option.isNone(found)) throw new Error(`no artifact for ${stageId}`)
    return descriptorFromStore(outputDir, found.value.descriptor) as A
  }).pipe(Effect.provide(ledgerLayer(ledger)))
