/**
 * `report`: a console summary of the profile pipeline's results and the same as a self-contained
 * HTML page. Text goes to `<workDir>/report.txt` and to the stage's progress messages; the page,
 * `<workDir>/report.html`, has inline SVG charts (age histogram, cluster sizes, score
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
import { open, readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect, Schema } from "effect"
import type { ArtifactOf } from "../../runtime/artifact.js"
import { featuresInto, FEATURE_DIM } from "../../domain/vectors/index.js"
import { StageError } from "../../runtime/errors.js"
import { ArtifactStore } from "../../runtime/services/artifact-store.js"
import { StageProgress } from "../../runtime/services/progress.js"
import { defineStageKind, field, type StageContext } from "../../runtime/stage-kind.js"
import { ClusterAssignment } from "../../artifacts/cluster-assignment.js"
import { HtmlReport } from "../../artifacts/html-report.js"
import { MatchEvaluation } from "../../artifacts/match-evaluation.js"
import { ProfileTable } from "../../artifacts/profile-table.js"
import { ChunkSizeSetting } from "./match-eval.js"
import { MatchEvalResult } from "./match-result.js"
import { chunkOfRow, profileCodes, resolveChunkLayout } from "./match-source.js"
import { clusterStats, profileStats, sampleFields, type MatchSection, type ReportModel } from "./report-model.js"
import { renderHtml, renderText } from "./report-render.js"
import { readTemplate } from "./report-template.js"

const fail = (message: string, cause?: unknown) => new StageError({ message, retryable: false, cause })

const NonNegativeInt = Schema.Int.pipe(Schema.nonNegative())

const ReportConfig = Schema.Struct({
  title: field(Schema.String, "Profile pipeline report", "page and text title"),
  sampleRow: field(NonNegativeInt, 0, "table row of the sample profile shown in full"),
  headLength: field(Schema.Int.pipe(Schema.between(0, 64)), 8, "vector and embedding values shown for the sample"),
  topValues: field(Schema.Int.pipe(Schema.positive()), 10, "most frequent values listed per categorical field"),
  profileChunkSize: field(ChunkSizeSetting, "auto", "chunk size the profiles were generated with; auto infers it")
})
type ReportConfig = typeof ReportConfig.Type

interface ReportInputs {
  readonly profiles: ArtifactOf<typeof ProfileTable>
  readonly clusters: ArtifactOf<typeof ClusterAssignment>
  readonly match: { readonly path: string }
  readonly matchBaseline?: { readonly path: string }
}

const readJson = (path: string, what: string) =>
  Effect.tryPromise({
    try: async () => JSON.parse(await readFile(path, "utf8")) as unknown,
    catch: (cause) => fail(`cannot read ${what} ${path}`, cause)
  })

const readMatch = (path: string) =>
  Effect.flatMap(readJson(path, "match evaluation"), (json) =>
    Schema.decodeUnknown(MatchEvalResult)(json).pipe(Effect.mapError((e) => fail(`${path} is not a match evaluation: ${e.message}`, e)))
  )

const readBinary = (path: string, what: string) =>
  Effect.tryPromise({ try: () => readFile(path), catch: (cause) => fail(`cannot read ${what} ${path}`, cause) })

/** `length` float32 values of row `row` of a (rows x dim) matrix file, read without loading the file. */
const readMatrixRow = (path: string, row: number, dim: number, length: number) =>
  Effect.tryPromise({
    try: async () => {
      const handle = await open(path, "r")
      try {
        const bytes = Buffer.alloc(length * 4)
        await handle.read(bytes, 0, bytes.length, row * dim * 4)
        return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, length))
      } finally {
        await handle.close()
      }
    },
    catch: (cause) => fail(`cannot read row ${row} of ${path}`, cause)
  })

const labelOf = (content: string): string => content.replace(/^embeddings:/, "")

const runReport = ({ config, inputs, workDir }: StageContext<ReportConfig, ReportInputs>) =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const progress = yield* StageProgress
    const { profiles, clusters } = inputs
    if (config.sampleRow >= profiles.rows) {
      return yield* Effect.fail(fail(`sampleRow ${config.sampleRow} is outside the table's ${profiles.rows} rows`))
    }
    const template = yield* readTemplate
    const layout = yield* resolveChunkLayout(profiles, config.profileChunkSize)
    const stats = profileStats(yield* profileCodes(profiles, layout), config.topValues)

    const matchPaths = [inputs.match.path, ...(inputs.matchBaseline === undefined ? [] : [inputs.matchBaseline.path])]
    const matches: Array<MatchSection> = []
    for (const path of matchPaths) {
      const result = yield* readMatch(path)
      matches.push({ label: labelOf(result.embeddingContent), result })
    }

    // The sample: its record, the head of its feature vector (recomputed from its chunk), of its
    // embedding (from the first evaluation's matrix) and its cluster (same row order as that matrix).
    const { chunk, index } = chunkOfRow(profiles, layout, config.sampleRow)
    const features = new Float32Array(chunk.count * FEATURE_DIM)
    featuresInto(chunk, features)
    const vectorHead = Array.from(features.subarray(index * FEATURE_DIM, index * FEATURE_DIM + Math.min(config.headLength, FEATURE_DIM)))
    const sampleId = chunk.firstId + index
    const emb = matches[0]!.result.embeddings
    const idBytes = yield* readBinary(emb.idsPath, "embedding ids")
    const ids = new BigInt64Array(idBytes.buffer, idBytes.byteOffset, Math.floor(idBytes.byteLength / 8))
    const matrixRow = ids.indexOf(BigInt(sampleId))
    const embeddingHead =
      matrixRow < 0 ? [] : yield* readMatrixRow(emb.path, matrixRow, emb.dim, Math.min(config.headLength, emb.dim))
    const assignmentBytes = yield* readBinary(clusters.assignmentsPath, "cluster assignments")
    const assignments = new Int32Array(
      assignmentBytes.buffer.slice(assignmentBytes.byteOffset, assignmentBytes.byteOffset + Math.floor(assignmentBytes.byteLength / 4) * 4)
    )
    const clusterRow = matrixRow >= 0 ? matrixRow : config.sampleRow
    const metrics = yield* readJson(clusters.metricsPath, "cluster metrics").pipe(Effect.orElseSucceed(() => null))

    const htmlPath = join(workDir, "report.html")
    const textPath = join(workDir, "report.txt")
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
        ...matchPaths.map((p, i) => [`match evaluation ${i + 1}`, p] as const),
        ["report text", textPath],
        ["report html", htmlPath]
      ]
    }
    const text = renderText(model)
    yield* store.writeFile(textPath, text)
    const digest = yield* store.writeFile(htmlPath, renderHtml(template, model))
    yield* progress.message(text)
    return { kind: "html-report" as const, path: htmlPath, textPath, digest }
  })

const baseInputs = {
  profiles: { artifact: ProfileTable, description: "the profiles" },
  clusters: { artifact: ClusterAssignment, description: "k-means clusters of the profiles' vectors" },
  match: { artifact: MatchEvaluation, description: "match evaluation (its embeddings give the sample's embedding)" }
}

export const report = defineStageKind({
  name: "report",
  version: 1,
  description: "Console summary and self-contained HTML report of profiles, clusters and match quality.",
  config: ReportConfig,
  inputs: baseInputs,
  output: HtmlReport,
  run: runReport
})

export const reportCompare = defineStageKind({
  name: "report-compare",
  version: 1,
  description: "The report, with a second match evaluation (e.g. seed-random embeddings) beside the first.",
  config: ReportConfig,
  inputs: {
    ...baseInputs,
    matchBaseline: { artifact: MatchEvaluation, description: "match evaluation to compare with (e.g. seed-random)" }
  },
  output: HtmlReport,
  run: runReport
})
