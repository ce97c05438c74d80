/**
 * The Dashboard service: the state of the served data (loading, ready, failed) and the match
 * config. Its Layer starts loading in the background (a fiber in the Layer's scope) so the HTTP
 * server listens at once; requests see `Loading` until the data is ready, or `Failed` with the
 * command that would make the missing artifacts. Everything loaded (SQLite handle, FAISS index,
 * open files) is released when the Layer's scope closes, i.e. at shutdown.
 */
import { existsSync } from "node:fs"
import { Console, Context, Deferred, Effect, Layer, Ref } from "effect"
import { DEFAULT_MATCH_CONFIG, type MatchConfig } from "../domain/matching/index.js"
import { Faiss } from "../layers/faiss/service.js"
import type { FaissSettings } from "../layers/faiss/settings.js"
import { RunLedgerSqlite } from "../layers/ledger/sqlite-ledger.js"
import { ledgerPath } from "../runtime/cli/product-layers.js"
import type { PipelineSpec } from "../runtime/spec/pipeline-spec.js"
import { loadMatchData, type MatchData } from "./match-data.js"
import { ArtifactsUnavailable, findServedArtifacts, servedStages } from "./run-artifacts.js"

export type DataState =
  | { readonly _tag: "Loading"; readonly step: string }
  | { readonly _tag: "Ready"; readonly data: MatchData; readonly loadMs: number }
  | { readonly _tag: "Failed"; readonly message: string; readonly hint: string }

export interface DashboardService {
  readonly pipeline: string
  readonly config: MatchConfig
  readonly state: Effect.Effect<DataState>
  /** The state once loading has ended (Ready or Failed): what `--fail-on-error` waits for. */
  readonly settled: Effect.Effect<Exclude<DataState, { readonly _tag: "Loading" }>>
}

export class Dashboard extends Context.Tag("server/Dashboard")<Dashboard, DashboardService>() {}

export interface DashboardOptions {
  readonly spec: PipelineSpec
  /** The index stage to serve (default `index`); its wiring names the embeddings and profiles. */
  readonly indexStage: string
  /** Serve this run instead of the newest succeeded one. */
  readonly runId: string | undefined
}

/**
 * The match config of the pipeline's match-eval stage over the same index (its `exhaustive`
 * input's, where the config lives), so the dashboard and the evaluation score alike; the seed's
 * config when there is none.
 */
export const matchConfigOf = (spec: PipelineSpec, indexStage: string): MatchConfig => {
  const evaluation = spec.stages.find((s) => s.kind === "match-eval" && s.inputs["index"] === indexStage)
  const exhaustive = spec.stages.find((s) => s.id === evaluation?.inputs["exhaustive"])
  const config = exhaustive?.config as { readonly match?: MatchConfig } | undefined
  return config?.match ?? DEFAULT_MATCH_CONFIG
}

const load = (options: DashboardOptions, setStep: (step: string) => Effect.Effect<void>) =>
  Effect.gen(function* () {
    const { spec } = options
    const stages = yield* servedStages(spec, options.indexStage)
    const ledger = ledgerPath(spec.outputDir)
    if (!existsSync(ledger)) {
      return yield* new ArtifactsUnavailable({
        message: `pipeline '${spec.name}' has not run yet (no ${ledger})`,
        hint: `pipeline run ${spec.file}`
      })
    }
    yield* setStep("reading the run ledger")
    const artifacts = yield* findServedArtifacts(spec, stages, options.runId).pipe(Effect.provide(RunLedgerSqlite.layer(ledger)))
    yield* setStep(`loading ${artifacts.profiles.rows.toLocaleString("en-US")} profiles and the index of run ${artifacts.run.id}`)
    // Built into the enclosing scope (the Layer's), not per effect: the Faiss layer disposes its
    // indexes when its scope closes, and the loaded index must live as long as the server.
    const faiss = yield* Layer.build(Faiss.layerFromSettings((spec.layers["faiss"] ?? {}) as FaissSettings))
    return yield* loadMatchData(artifacts).pipe(Effect.provide(faiss))
  })

export const DashboardLive = (options: DashboardOptions): Layer.Layer<Dashboard> =>
  Layer.scoped(
    Dashboard,
    Effect.gen(function* () {
      const started = Date.now()
      const state = yield* Ref.make<DataState>({ _tag: "Loading", step: "starting" })
      const settled = yield* Deferred.make<Exclude<DataState, { readonly _tag: "Loading" }>>()
      const setStep = (step: string) => Ref.set(state, { _tag: "Loading", step })
      const settle = (final: Exclude<DataState, { readonly _tag: "Loading" }>) =>
        Ref.set(state, final).pipe(Effect.zipRight(Deferred.succeed(settled, final)))
      const fail = (failed: Extract<DataState, { readonly _tag: "Failed" }>) =>
        settle(failed).pipe(Effect.zipRight(Console.error(`cannot serve: ${failed.message}\nto fix it, run: ${failed.hint}`)))
      yield* load(options, setStep).pipe(
        Effect.flatMap((data) =>
          settle({ _tag: "Ready", data, loadMs: Date.now() - started }).pipe(
            Effect.zipRight(
              Console.log(
                `ready: run ${data.artifacts.run.id}, ${data.encoded.count.toLocaleString("en-US")} profiles, ` +
                  `index ${data.artifacts.index.factory} (${JSON.stringify(data.artifacts.index.searchParameters)}), loaded in ${Date.now() - started} ms`
              )
            )
          )
        ),
        Effect.catchAll((error) =>
          fail(
            error._tag === "ArtifactsUnavailable"
              ? { _tag: "Failed", message: error.message, hint: error.hint }
              : { _tag: "Failed", message: error.message, hint: `pipeline run ${options.spec.file}` }
          )
        ),
        // A defect (a row SQLite or the decoder cannot read, a native failure) ends the load too:
        // without this the state would stay "loading" for ever.
        Effect.catchAllDefect((defect) =>
          fail({
            _tag: "Failed",
            message: `loading failed: ${defect instanceof Error ? defect.message : String(defect)}`,
            hint: `pipeline run ${options.spec.file} --force ${options.spec.stages[0]?.id ?? ""}`.trimEnd()
          })
        ),
        Effect.forkScoped
      )
      return {
        pipeline: options.spec.name,
        config: matchConfigOf(options.spec, options.indexStage),
        state: Ref.get(state),
        settled: Deferred.await(settled)
      }
    })
  )
