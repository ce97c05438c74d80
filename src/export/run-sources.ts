/**
 * The artifacts of one finished run, as export sources: every stage of the pipeline whose
 * committed artifact (made or reused by the run) is a profile table, a vector matrix or a cluster
 * assignment, decoded and with its files checked as committed (the same quick check `plan` makes
 * before reusing). The run is `runId`, or the newest succeeded run of the pipeline.
 */
import { resolve } from "node:path"
import { Effect, Option, Schema } from "effect"
import { ClusterAssignment } from "../artifacts/cluster-assignment.js"
import { ProfileTable } from "../artifacts/profile-table.js"
import { VectorMatrix } from "../artifacts/vector-matrix.js"
import { checkFiles } from "../layers/artifact-store/file-manifest.js"
import { descriptorFromStore } from "../runtime/artifact-paths.js"
import type { LedgerError } from "../runtime/errors.js"
import { describeFileProblems } from "../runtime/plan/decide.js"
import { artifactsUsedBy } from "../runtime/run/used-artifacts.js"
import { RunLedger, type ArtifactRecord, type RunRecord } from "../runtime/services/run-ledger.js"
import type { PipelineSpec } from "../runtime/spec/pipeline-spec.js"
import { ExportError } from "./export-error.js"
import type { ExportSources } from "./write-export.js"

/** How many runs are searched, newest first, for a succeeded one. */
const RUNS_SEARCHED = 200

export interface RunSources {
  readonly run: RunRecord
  readonly sources: ExportSources
  /** Stage ids of the run's ANN indexes (`ann-index` artifacts), for the scored matches. */
  readonly indexStages: ReadonlyArray<string>
}

const decode = <A>(schema: Schema.Schema<A, unknown>, record: ArtifactRecord, outputDir: string) =>
  Schema.decodeUnknown(schema)(descriptorFromStore(resolve(outputDir), record.descriptor)).pipe(
    Effect.mapError(
      () => new ExportError({ message: `stage '${record.stageId}' recorded a '${record.kind}' artifact this version cannot read; run the pipeline again` })
    )
  )

/** The run to export: `runId`, or the newest succeeded run. */
export const findRun = (spec: PipelineSpec, runId: string | undefined): Effect.Effect<RunRecord, ExportError | LedgerError, RunLedger> =>
  Effect.gen(function* () {
    const ledger = yield* RunLedger
    if (runId !== undefined) {
      const run = yield* ledger.getRun(runId)
      if (Option.isNone(run)) return yield* new ExportError({ message: `no run '${runId}' of '${spec.name}' (${spec.file}); 'pipeline runs ${spec.file}' lists them` })
      return run.value
    }
    const succeeded = (yield* ledger.listRuns(RUNS_SEARCHED)).find((r) => r.status === "succeeded")
    if (succeeded === undefined) return yield* new ExportError({ message: `'${spec.name}' has no succeeded run yet; run it first: pipeline run ${spec.file}` })
    return succeeded
  })

export const runSources = (spec: PipelineSpec, run: RunRecord): Effect.Effect<RunSources, ExportError | LedgerError, RunLedger> =>
  Effect.gen(function* () {
    const ids = spec.stages.map((s) => s.id)
    const records = yield* artifactsUsedBy(run.id, ids)
    const profiles: Array<ExportSources["profiles"][number]> = []
    const matrices: Array<ExportSources["matrices"][number]> = []
    const clusters: Array<ExportSources["clusters"][number]> = []
    const indexStages: Array<string> = []
    for (const found of records) {
      if (found === undefined || Option.isNone(found)) continue
      const record = found.value
      const exported = ["profile-table", "vector-matrix", "cluster-assignment"].includes(record.kind)
      if (exported && record.files !== null) {
        const problems = yield* Effect.promise(() => checkFiles(resolve(spec.outputDir), record.files!, "quick"))
        if (problems.length > 0) {
          return yield* new ExportError({
            message: `stage '${record.stageId}' of run ${run.id}: ${describeFileProblems(problems)}; run it again: pipeline run ${spec.file} --force ${record.stageId}`
          })
        }
      }
      if (record.kind === "profile-table") profiles.push({ stage: record.stageId, table: yield* decode(ProfileTable.schema, record, spec.outputDir) })
      if (record.kind === "vector-matrix") matrices.push({ stage: record.stageId, matrix: yield* decode(VectorMatrix.schema, record, spec.outputDir) })
      if (record.kind === "cluster-assignment") clusters.push({ stage: record.stageId, clusters: yield* decode(ClusterAssignment.schema, record, spec.outputDir) })
      if (record.kind === "ann-index") indexStages.push(record.stageId)
    }
    if (profiles.length + matrices.length + clusters.length === 0) {
      return yield* new ExportError({ message: `run ${run.id} of '${spec.name}' has no profile table, vector matrix or cluster assignment to export` })
    }
    return { run, sources: { profiles, matrices, clusters, matches: [] }, indexStages }
  })
