/**
 * `report`: a console summary of the profile pipeline's results and the same as a self-contained
 * HTML page (an HtmlReport, src/artifacts/html-report.ts). The page has inline SVG charts (age
 * histogram, cluster sizes, score distributions), a light and a dark theme (the dashboard's
 * colours, by `prefers-color-scheme`) and no scripts; the text goes to `report.txt`, and the
 * stage's progress gets only where the report is and its headline figures.
 *
 * Two kinds over one implementation:
 * - `report`: profiles, clusters, one match evaluation;
 * - `report-compare`: profiles, clusters and `evaluations`, a list input of any number of match
 *   evaluations (e.g. an index and `seed-random` embeddings, or several indexes over the same
 *   embeddings), shown side by side in the listed order.
 * Each evaluation is named by its stage, its embeddings and the index it searched (stage, factory,
 * search parameters).
 *
 * What the report knows of the other stages is what their artifacts record: settings from their
 * descriptors and files, times where a file records them (k-means seconds in metrics.json, index
 * train/add seconds in index.json, match ms/origin in match-eval.json). The run ledger's per-stage
 * times are not inputs of a stage; the CLI prints them at the end of a run. Stage names come from
 * the artifact store's layout (report-model.ts `stageOfPath`).
 */
import { Effect, Schema } from "effect"
import { readAnnIndexTuning } from "../../artifacts/ann-index.js"
import { ClusterAssignment, readAssignments, readClusterMetrics } from "../../artifacts/cluster-assignment.js"
import { HtmlReport, htmlReportPaths, readReportTemplate, writeHtmlReport } from "../../artifacts/html-report.js"
import { MatchEvaluation, readMatchEvaluation } from "../../artifacts/match-evaluation.js"
import { profileChunkOfRow, ProfileTable, readProfileCodes } from "../../artifacts/profile-table.js"
import { readVectorIds, readVectorRows } from "../../artifacts/vector-matrix.js"
import { featuresInto, FEATURE_DIM } from "../../domain/vectors/index.js"
import type { ArtifactOf } from "../../runtime/artifact.js"
import { StageError } from "../../runtime/errors.js"
import { StageProgress } from "../../runtime/services/progress.js"
import { defineStageKind, field, inputList, type StageContext } from "../../runtime/stage-kind.js"
import {
  clusterStats,
  indexText,
  parametersText,
  profileStats,
  sampleFields,
  stageOfPath,
  type EvaluatedIndex,
  type MatchSection,
  type ReportModel,
  type StageRow
} from "./report-model.js"
import { groupDigits, renderHtml, renderSummary, renderText } from "./report-render.js"

const NonNegativeInt = Schema.Int.pipe(Schema.nonNegative())

const ReportConfig = Schema.Struct({
  title: field(Schema.String, "Profile pipeline report", "page and text title"),
  sampleRow: field(NonNegativeInt, 0, "table row of the sample profile shown in full"),
  headLength: field(Schema.Int.pipe(Schema.between(0, 64)), 8, "vector and embedding values shown for the sample"),
  topValues: field(Schema.Int.pipe(Schema.positive()), 10, "most frequent values listed per categorical field")
})
type ReportConfig = typeof ReportConfig.Type

interface ReportInputs {
  readonly profiles: ArtifactOf<typeof ProfileTable>
  readonly clusters: ArtifactOf<typeof ClusterAssignment>
  /** At least one; the first one's embeddings give the sample's embedding. */
  readonly evaluations: ReadonlyArray<ArtifactOf<typeof MatchEvaluation>>
}

const labelOf = (content: string): string => content.replace(/^embeddings:/, "")
const seconds = (s: number): string => `${s < 10 ? s.toFixed(2) : groupDigits(s.toFixed(1))} s`

/** One evaluation's section: its stage, embeddings and index (with the index's build record, when readable). */
const matchSection = (evaluation: ArtifactOf<typeof MatchEvaluation>, ordinal: number) =>
  Effect.gen(function* () {
    const result = yield* readMatchEvaluation(evaluation)
    const exact = result.index.factory.startsWith("exact")
    // The build record is shown, never acted on: an index without one still has its descriptor's figures.
    const tuning = exact ? null : yield* readAnnIndexTuning(result.index).pipe(Effect.orElseSucceed(() => null))
    const index: EvaluatedIndex = {
      stage: stageOfPath(result.index.path),
      factory: result.index.factory,
      searchParameters: result.index.searchParameters,
      recallAt10: result.index.recallAt10,
      warning: result.index.warning ?? tuning?.warning ?? null,
      build:
        tuning === null
          ? null
          : { targetRecall: tuning.targetRecall, trainSeconds: tuning.seconds.train, addSeconds: tuning.seconds.add, tuningSteps: tuning.tuning.length }
    }
    const stage = stageOfPath(evaluation.path) ?? `evaluation ${ordinal}`
    const embeddings = labelOf(result.embeddingContent)
    const section: MatchSection = {
      stage,
      label: `${stage}: ${embeddings}, ${indexText(index)}`,
      embeddings,
      embeddingsStage: stageOfPath(result.embeddings.path),
      index,
      result
    }
    return section
  })

/** The "Stages" rows: every input stage once, in pipeline order (profiles, embeddings, clusters, index, match). */
const stageRows = (
  profiles: ArtifactOf<typeof ProfileTable>,
  clusters: ArtifactOf<typeof ClusterAssignment>,
  metrics: { readonly init: string; readonly niter: number; readonly nredo: number; readonly kmeansSeconds: number } | null,
  matches: ReadonlyArray<MatchSection>
): ReadonlyArray<StageRow> => {
  const rows: Array<StageRow> = []
  const seen = new Set<string>()
  const add = (row: StageRow) => {
    if (seen.has(row.stage)) return
    seen.add(row.stage)
    rows.push(row)
  }
  add({
    stage: stageOfPath(profiles.path) ?? "profiles",
    what: "generate-profiles",
    settings: `${groupDigits(profiles.rows)} profiles, seed ${profiles.seed}, ${profiles.locale}, chunks of ${groupDigits(profiles.chunkSize)}`,
    time: "—"
  })
  for (const m of matches) {
    if (m.embeddingsStage !== null) {
      const e = m.result.embeddings
      add({ stage: m.embeddingsStage, what: "embeddings", settings: `${m.embeddings}, ${groupDigits(e.rows)} × ${e.dim}`, time: "—" })
    }
  }
  add({
    stage: stageOfPath(clusters.assignmentsPath) ?? "clusters",
    what: "k-means",
    settings:
      `k ${clusters.k}, ${groupDigits(clusters.rows)} × ${clusters.dim}, ${clusters.spherical ? "spherical (cosine)" : "L2"}` +
      (metrics === null ? "" : `, init ${metrics.init}, niter ${metrics.niter}, nredo ${metrics.nredo}`),
    time: metrics === null ? "—" : `k-means ${seconds(metrics.kmeansSeconds)}`
  })
  for (const m of matches) {
    const ix = m.index
    if (ix.stage !== null && !ix.factory.startsWith("exact")) {
      const params = parametersText(ix.searchParameters)
      add({
        stage: ix.stage,
        what: "ann-index",
        settings:
          `${ix.factory}${params === "" ? "" : `, ${params}`}, recall@10 ${ix.recallAt10.toFixed(3)}` +
          (ix.build === null ? "" : ` (target ${ix.build.targetRecall})`) +
          (ix.warning === null ? "" : `; warning: ${ix.warning}`),
        time: ix.build === null ? "—" : `train ${seconds(ix.build.trainSeconds)}, add ${seconds(ix.build.addSeconds)}, ${ix.build.tuningSteps} tuning step${ix.build.tuningSteps === 1 ? "" : "s"}`
      })
    }
  }
  for (const m of matches) {
    const c = m.result.config
    const f = m.result.figures
    add({
      stage: m.stage,
      what: m.index.factory.startsWith("exact") ? "match-eval-exact" : "match-eval",
      settings: `${groupDigits(c.origins)} origins, ${groupDigits(c.candidates)} candidates, top ${c.top}, seed ${c.seed}; ${m.embeddings}, ${indexText(m.index)}`,
      // The exhaustive figure is the exhaustive-top input's scoring time, which this stage reuses.
      time: `search and rescoring ${(f.annMsPerOrigin * f.origins / 1000).toFixed(2)} s (${f.annMsPerOrigin.toFixed(3)} ms/origin); exhaustive top ${f.exhaustiveMsPerOrigin.toFixed(3)} ms/origin`
    })
  }
  return rows
}

const runReport = (kind: string) => ({ config, inputs, workDir, runId, stageId }: StageContext<ReportConfig, ReportInputs>) =>
  Effect.gen(function* () {
    const progress = yield* StageProgress
    const { profiles, clusters } = inputs
    if (config.sampleRow >= profiles.rows) {
      return yield* StageError.fatal(`sampleRow ${config.sampleRow} is outside the table's ${profiles.rows} rows`)
    }
    const template = yield* readReportTemplate
    const stats = profileStats(yield* readProfileCodes(profiles), config.topValues)

    const evaluations = inputs.evaluations
    const matches: Array<MatchSection> = []
    for (const [i, evaluation] of evaluations.entries()) matches.push(yield* matchSection(evaluation, i + 1))

    // The sample: its record, the head of its feature vector (recomputed from its chunk), of its
    // embedding (from the first evaluation's matrix) and its cluster (same row order as that matrix).
    const { chunk, index } = profileChunkOfRow(profiles, config.sampleRow)
    const features = new Float32Array(chunk.count * FEATURE_DIM)
    featuresInto(chunk, features)
    const vectorHead = Array.from(features.subarray(index * FEATURE_DIM, index * FEATURE_DIM + Math.min(config.headLength, FEATURE_DIM)))
    const sampleId = chunk.firstId + index
    const emb = matches[0]!.result.embeddings
    const matrixRow = (yield* readVectorIds(emb)).indexOf(BigInt(sampleId))
    const embeddingHead =
      matrixRow < 0 ? [] : Array.from((yield* readVectorRows(emb, [matrixRow])).subarray(0, Math.min(config.headLength, emb.dim)))
    const assignments = yield* readAssignments(clusters)
    const clusterRow = matrixRow >= 0 ? matrixRow : config.sampleRow
    // The metrics are shown, never acted on: a report without them still says everything else.
    const metrics = yield* readClusterMetrics(clusters).pipe(Effect.orElseSucceed(() => null))

    const { path: htmlPath, textPath } = htmlReportPaths(workDir)
    const paths: Array<readonly [string, string]> = []
    const seenPaths = new Set<string>()
    const path = (label: string, p: string) => {
      if (seenPaths.has(p)) return
      seenPaths.add(p)
      paths.push([label, p])
    }
    const at = (p: string, fallback: string) => stageOfPath(p) ?? fallback
    path(`profiles table (${at(profiles.path, "profiles")})`, `${profiles.path} (table ${profiles.table})`)
    path(`profile codes (${at(profiles.codes.path, "profiles")})`, profiles.codes.path)
    for (const m of matches) {
      const e = m.result.embeddings
      path(`embedding matrix (${m.embeddingsStage ?? m.embeddings})`, e.path)
      path(`embedding ids (${m.embeddingsStage ?? m.embeddings})`, e.idsPath)
    }
    const cs = at(clusters.assignmentsPath, "clusters")
    path(`cluster assignments (${cs})`, clusters.assignmentsPath)
    path(`cluster centroids (${cs})`, clusters.centroidsPath)
    path(`k-means metrics (${cs})`, clusters.metricsPath)
    path(`clusters table (${cs})`, `${clusters.dbPath} (table ${clusters.table})`)
    for (const m of matches) {
      if (!m.index.factory.startsWith("exact")) {
        path(`index file (${m.index.stage ?? "index"})`, m.result.index.path)
        if (m.index.build !== null) path(`index build record (${m.index.stage ?? "index"})`, m.result.index.path.replace(/[^\\/]+$/, "index.json"))
      }
    }
    for (const [i, e] of evaluations.entries()) path(`match evaluation (${matches[i]!.stage})`, e.path)
    path(`report text (${stageId})`, textPath)
    path(`report html (${stageId})`, htmlPath)

    const model: ReportModel = {
      title: config.title,
      run: {
        runId,
        stage: stageId,
        kind,
        config: [
          ["title", config.title],
          ["sampleRow", String(config.sampleRow)],
          ["headLength", String(config.headLength)],
          ["topValues", String(config.topValues)]
        ]
      },
      profiles: { rows: profiles.rows, seed: profiles.seed, locale: profiles.locale, path: profiles.path },
      stages: stageRows(profiles, clusters, metrics, matches),
      describe: stats.describe,
      counts: stats.counts,
      ageHistogram: stats.ageHistogram,
      sample: {
        fields: sampleFields(chunk, index),
        vectorHead,
        embeddingHead,
        clusterId: clusterRow < assignments.length ? (assignments[clusterRow] as number) : null
      },
      clusters: clusterStats(clusters.k, assignments, metrics),
      matches,
      paths
    }
    const written = yield* writeHtmlReport(workDir, { text: renderText(model), html: renderHtml(template, model) })
    // Only where the report is and its headline figures: the whole text is in report.txt.
    yield* progress.message(renderSummary(model, htmlPath, textPath))
    return written
  })

const baseInputs = {
  profiles: { artifact: ProfileTable, description: "the profiles" },
  clusters: { artifact: ClusterAssignment, description: "k-means clusters of the profiles' vectors" }
}

export const report = defineStageKind({
  name: "report",
  // 2: no `profileChunkSize`: the profiles' descriptor says their chunk size.
  // 3: run id, stages table, evaluations named by stage and index, paths of every file, responsive charts, dark theme.
  version: 3,
  description: "Console summary and self-contained HTML report of profiles, clusters and match quality.",
  config: ReportConfig,
  inputs: {
    ...baseInputs,
    match: { artifact: MatchEvaluation, description: "match evaluation (its embeddings give the sample's embedding)" }
  },
  output: HtmlReport,
  run: (ctx) => runReport("report")({ ...ctx, inputs: { ...ctx.inputs, evaluations: [ctx.inputs.match] } })
})

export const reportCompare = defineStageKind({
  name: "report-compare",
  // 3: as report.
  // 4: any number of evaluations, a list input (`evaluations: [match, match-random, ...]`).
  version: 4,
  description: "The report, comparing any number of match evaluations side by side (e.g. an index against seed-random embeddings).",
  config: ReportConfig,
  inputs: {
    ...baseInputs,
    evaluations: inputList(MatchEvaluation, "match evaluations to compare, in this order (the first one's embeddings give the sample's embedding)")
  },
  output: HtmlReport,
  run: runReport("report-compare")
})
