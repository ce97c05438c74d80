/**
 * `report`: a console summary of the profile pipeline's results and the same as a self-contained
 * HTML page (an HtmlReport, src/artifacts/html-report.ts). The text also goes to the stage's
 * progress messages; the page has inline SVG charts (age histogram, cluster sizes, score
 * distributions) and no scripts.
 *
 * The runtime has no optional inputs, so there are two kinds over one implementation:
 * - `report`: profiles, clusters, match;
 * - `report-compare`: the same plus `matchBaseline`, a second match evaluation (e.g. on
 *   `seed-random` embeddings) shown beside the first.
 *
 * Per-stage times and throughput are not here: they live in the run ledger, which stages cannot
 * read; the CLI prints them at the end of a run.
 */
import { Effect, Schema } from "effect"
import { ClusterAssignment, readAssignments, readClusterMetrics } from "../../artifacts/cluster-assignment.js"
import { HtmlReport, htmlReportPaths, readReportTemplate, writeHtmlReport } from "../../artifacts/html-report.js"
import { MatchEvaluation, readMatchEvaluation } from "../../artifacts/match-evaluation.js"
import { profileChunkOfRow, ProfileTable, readProfileCodes } from "../../artifacts/profile-table.js"
import { readVectorIds, readVectorRows } from "../../artifacts/vector-matrix.js"
import { featuresInto, FEATURE_DIM } from "../../domain/vectors/index.js"
import type { ArtifactOf } from "../../runtime/artifact.js"
import { StageError } from "../../runtime/errors.js"
import { StageProgress } from "../../runtime/services/progress.js"
import { defineStageKind, field, type StageContext } from "../../runtime/stage-kind.js"
import { clusterStats, profileStats, sampleFields, type MatchSection, type ReportModel } from "./report-model.js"
import { renderHtml, renderText } from "./report-render.js"

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
  readonly match: ArtifactOf<typeof MatchEvaluation>
  readonly matchBaseline?: ArtifactOf<typeof MatchEvaluation>
}

const labelOf = (content: string): string => content.replace(/^embeddings:/, "")

const runReport = ({ config, inputs, workDir }: StageContext<ReportConfig, ReportInputs>) =>
  Effect.gen(function* () {
    const progress = yield* StageProgress
    const { profiles, clusters } = inputs
    if (config.sampleRow >= profiles.rows) {
      return yield* StageError.fatal(`sampleRow ${config.sampleRow} is outside the table's ${profiles.rows} rows`)
    }
    const template = yield* readReportTemplate
    const stats = profileStats(yield* readProfileCodes(profiles), config.topValues)

    const evaluations = [inputs.match, ...(inputs.matchBaseline === undefined ? [] : [inputs.matchBaseline])]
    const matches: Array<MatchSection> = []
    for (const evaluation of evaluations) {
      const result = yield* readMatchEvaluation(evaluation)
      matches.push({ label: labelOf(result.embeddingContent), result })
    }

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
    const model: ReportModel = {
      title: config.title,
      profiles: { rows: profiles.rows, seed: profiles.seed, locale: profiles.locale, path: profiles.path },
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
      paths: [
        ["profiles", `${profiles.path} (table ${profiles.table})`],
        ["clusters", clusters.dbPath],
        ...evaluations.map((e, i) => [`match evaluation ${i + 1}`, e.path] as const),
        ["report text", textPath],
        ["report html", htmlPath]
      ]
    }
    const text = renderText(model)
    const written = yield* writeHtmlReport(workDir, { text, html: renderHtml(template, model) })
    yield* progress.message(text)
    return written
  })

const baseInputs = {
  profiles: { artifact: ProfileTable, description: "the profiles" },
  clusters: { artifact: ClusterAssignment, description: "k-means clusters of the profiles' vectors" },
  match: { artifact: MatchEvaluation, description: "match evaluation (its embeddings give the sample's embedding)" }
}

export const report = defineStageKind({
  name: "report",
  // 2: no `profileChunkSize`: the profiles' descriptor says their chunk size.
  version: 2,
  description: "Console summary and self-contained HTML report of profiles, clusters and match quality.",
  config: ReportConfig,
  inputs: baseInputs,
  output: HtmlReport,
  run: runReport
})

export const reportCompare = defineStageKind({
  name: "report-compare",
  version: 2,
  description: "The report, with a second match evaluation (e.g. seed-random embeddings) beside the first.",
  config: ReportConfig,
  inputs: {
    ...baseInputs,
    matchBaseline: { artifact: MatchEvaluation, description: "match evaluation to compare with (e.g. seed-random)" }
  },
  output: HtmlReport,
  run: runReport
})
