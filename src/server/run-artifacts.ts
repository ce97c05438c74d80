/**
 * Which artifacts the dashboard serves: those of one run of a pipeline, read from its ledger.
 *
 * The dashboard needs three: the ANN index (stage `index` by default), the embeddings it was built
 * from and the profile table those came from. The two upstream stages are found through the
 * pipeline's wiring (the index stage's `embeddings` input, that stage's `profiles` input), so a
 * pipeline that names its stages differently, or `--index` naming a second index stage, works
 * unchanged.
 *
 * A run's artifact for a stage is the one its succeeded attempt committed, or, for a stage the run
 * reused, the one named by the cache key of its `stage-reused` event. Without `--run`, the newest
 * succeeded run that has all three is taken.
 */
import { existsSync } from "node:fs"
import { resolve } from "node:path"
import { Data, Effect, Option, Schema } from "effect"
import { AnnIndex } from "../artifacts/ann-index.js"
import { ProfileTable } from "../artifacts/profile-table.js"
import { VectorMatrix } from "../artifacts/vector-matrix.js"
import type { ArtifactOf } from "../runtime/artifact.js"
import { checkFiles } from "../layers/artifact-store/file-manifest.js"
import { descriptorFromStore } from "../runtime/artifact-paths.js"
import { describeFileProblems } from "../runtime/plan/decide.js"
import { artifactsUsedBy } from "../runtime/run/used-artifacts.js"
import { ledgerPath } from "../runtime/cli/product-layers.js"
import type { LedgerError } from "../runtime/errors.js"
import { RunLedger, type ArtifactRecord, type RunRecord } from "../runtime/services/run-ledger.js"
import type { PipelineSpec } from "../runtime/spec/pipeline-spec.js"

/** The artifacts are missing or unusable; `hint` is the command that makes them. */
export class ArtifactsUnavailable extends Data.TaggedError("ArtifactsUnavailable")<{
  readonly message: string
  readonly hint: string
}> {}

export interface ServedStages {
  readonly profiles: string
  readonly embeddings: string
  readonly index: string
}

export interface ServedArtifacts {
  readonly run: RunRecord
  readonly stages: ServedStages
  readonly profiles: ArtifactOf<typeof ProfileTable>
  readonly embeddings: ArtifactOf<typeof VectorMatrix>
  readonly index: ArtifactOf<typeof AnnIndex>
}

const runHint = (spec: PipelineSpec) => `pipeline run ${spec.file}`

/** The stage ids to serve, from the index stage's wiring. */
export const servedStages = (spec: PipelineSpec, indexStage: string): Effect.Effect<ServedStages, ArtifactsUnavailable> => {
  const byId = new Map(spec.stages.map((s) => [s.id, s]))
  const unavailable = (message: string) => new ArtifactsUnavailable({ message, hint: `pipeline validate ${spec.file}` })
  const index = byId.get(indexStage)
  if (index === undefined) {
    const ids = spec.stages.map((s) => s.id).join(", ")
    return Effect.fail(unavailable(`pipeline '${spec.name}' has no stage '${indexStage}' (stages: ${ids})`))
  }
  const embeddings = byId.get(index.inputs["embeddings"] ?? "")
  if (embeddings === undefined) return Effect.fail(unavailable(`stage '${indexStage}' has no 'embeddings' input`))
  const profiles = index.inputs["profiles"] ?? embeddings.inputs["profiles"]
  if (profiles === undefined) return Effect.fail(unavailable(`stage '${embeddings.id}' has no 'profiles' input`))
  return Effect.succeed({ profiles, embeddings: embeddings.id, index: indexStage })
}

const decodeDescriptor = <K extends { readonly schema: Schema.Schema.AnyNoContext; readonly name: string }>(
  kind: K,
  record: ArtifactRecord,
  outputDir: string
): Effect.Effect<ArtifactOf<K>, ArtifactsUnavailable> =>
  // The ledger keeps store-relative paths; they resolve against where the output directory is now.
  Schema.decodeUnknown(kind.schema)(descriptorFromStore(resolve(outputDir), record.descriptor)).pipe(
    Effect.map((d) => d as ArtifactOf<K>),
    Effect.mapError(
      () =>
        new ArtifactsUnavailable({
          message: `stage '${record.stageId}' produced a '${record.kind}' artifact, not the '${kind.name}' the dashboard needs`,
          hint: "check the pipeline's wiring with pipeline graph"
        })
    )
  )

/**
 * The served artifacts' files are as committed: the same quick check `plan` makes before reusing
 * (sizes, sampled blocks, whole digests of files changed since), so serve never shows data a run
 * would not trust. An artifact committed before files were recorded has only its paths checked.
 */
const filesIntact = (
  found: FoundArtifacts,
  outputDir: string
): Effect.Effect<ServedArtifacts, ArtifactsUnavailable> =>
  Effect.gen(function* () {
    const { served: artifacts, records } = found
    const hint = `pipeline run ${artifacts.run.file}`
    for (const record of records) {
      if (record.files === null) continue
      const problems = yield* Effect.promise(() => checkFiles(resolve(outputDir), record.files!, "quick"))
      if (problems.length > 0) {
        return yield* new ArtifactsUnavailable({
          message: `stage '${record.stageId}' of run ${artifacts.run.id}: ${describeFileProblems(problems)}`,
          hint
        })
      }
    }
    const files = [artifacts.profiles.path, artifacts.embeddings.path, artifacts.embeddings.idsPath, artifacts.index.path]
    const missing = files.filter((f) => !existsSync(f))
    if (missing.length > 0) {
      return yield* new ArtifactsUnavailable({ message: `run ${artifacts.run.id} recorded files that are gone: ${missing.join(", ")}`, hint })
    }
    return artifacts
  })

interface FoundArtifacts {
  readonly served: ServedArtifacts
  readonly records: ReadonlyArray<ArtifactRecord>
}

/** All three artifacts of one run, or None when the run lacks one of them. */
const artifactsOfRun = (run: RunRecord, stages: ServedStages, outputDir: string) =>
  Effect.gen(function* () {
    const [profiles, embeddings, index] = yield* artifactsUsedBy(run.id, [stages.profiles, stages.embeddings, stages.index])
    if (profiles === undefined || embeddings === undefined || index === undefined) return Option.none<FoundArtifacts>()
    if (Option.isNone(profiles) || Option.isNone(embeddings) || Option.isNone(index)) return Option.none<FoundArtifacts>()
    const served: ServedArtifacts = {
      run,
      stages,
      profiles: yield* decodeDescriptor(ProfileTable, profiles.value, outputDir),
      embeddings: yield* decodeDescriptor(VectorMatrix, embeddings.value, outputDir),
      index: yield* decodeDescriptor(AnnIndex, index.value, outputDir)
    }
    return Option.some<FoundArtifacts>({ served, records: [profiles.value, embeddings.value, index.value] })
  })

/** How many runs are searched, newest first, for one that has the served artifacts. */
const RUNS_SEARCHED = 200

/**
 * The artifacts to serve: those of `runId`, or of the newest succeeded run that has them. Fails
 * with ArtifactsUnavailable (message + command to run) when there are none.
 */
export const findServedArtifacts = (
  spec: PipelineSpec,
  stages: ServedStages,
  runId: string | undefined
): Effect.Effect<ServedArtifacts, ArtifactsUnavailable | LedgerError, RunLedger> =>
  Effect.gen(function* () {
    const ledger = yield* RunLedger
    if (runId !== undefined) {
      const run = yield* ledger.getRun(runId)
      if (Option.isNone(run)) {
        return yield* new ArtifactsUnavailable({
          message: `no run '${runId}' in ${ledgerPath(spec.outputDir)}`,
          hint: `pipeline runs ${spec.file}`
        })
      }
      const found = yield* artifactsOfRun(run.value, stages, spec.outputDir)
      if (Option.isNone(found)) {
        return yield* new ArtifactsUnavailable({
          message: `run ${runId} did not produce stages ${stages.profiles}, ${stages.embeddings} and ${stages.index}`,
          hint: runHint(spec)
        })
      }
      return yield* filesIntact(found.value, spec.outputDir)
    }
    for (const run of yield* ledger.listRuns(RUNS_SEARCHED)) {
      if (run.status !== "succeeded") continue
      const found = yield* artifactsOfRun(run, stages, spec.outputDir)
      if (Option.isSome(found)) return yield* filesIntact(found.value, spec.outputDir)
    }
    return yield* new ArtifactsUnavailable({
      message: `no successful run of '${spec.name}' has produced stages ${stages.profiles}, ${stages.embeddings} and ${stages.index} yet`,
      hint: runHint(spec)
    })
  })
