/**
 * The report kinds through the real loader and scheduler: fixture kinds hand over a generated
 * profile table (1,200 profiles, 2 chunks), embeddings of both modes with exact FAISS indexes and a
 * cluster assignment; match-exhaustive scores a sample of origins once, match-eval runs on each
 * mode against it, and `report-compare` / `report` render them.
 * Also: the HTML holds the three charts and no script, and profile text is escaped.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import Database from "better-sqlite3"
import { Effect, Layer } from "effect"
import { WorkerPoolInline } from "../../src/layers/workers/inline.js"
import type { WorkerPool } from "../../src/services/worker-pool.js"
import { beforeAll, describe, expect, it } from "vitest"
import { BYTES_PER_PROFILE, generateChunk, type ProfileChunk } from "../../src/domain/profile/index.js"
import { embeddingsInto, type EmbeddingMode } from "../../src/domain/vectors/index.js"
import { Faiss, FaissNative } from "../../src/layers/faiss/index.js"
import type { ArtifactDescriptor, ArtifactKind } from "../../src/runtime/artifact.js"
import { makeRegistry } from "../../src/runtime/registry.js"
import { defineStageKind } from "../../src/runtime/stage-kind.js"
import { AnnIndex, type AnnIndexTuning } from "../../src/artifacts/ann-index.js"
import { ClusterAssignment, type ClusterMetrics } from "../../src/artifacts/cluster-assignment.js"
import { ProfileTable } from "../../src/artifacts/profile-table.js"
import { VectorMatrix } from "../../src/artifacts/vector-matrix.js"
import { matchEval } from "../../src/stages/profiles/match-eval.js"
import { matchExhaustive } from "../../src/stages/profiles/match-exhaustive.js"
import { report, reportCompare } from "../../src/stages/profiles/report.js"
import { barChart, escapeHtml, groupDigits, niceTicks, renderHtml, renderSummary } from "../../src/stages/profiles/report-render.js"
import { clusterStats, describeCounts, stageOfPath, type MatchSection, type ReportModel } from "../../src/stages/profiles/report-model.js"
import { templatePath } from "../../src/artifacts/html-report.js"
import { packageRoot } from "../../src/runtime/package-root.js"
import { memoryLedger, outcomes, runPipelineWith, tempDir, writePipeline } from "../runtime/harness.js"
import { Schema } from "effect"

const SEED = 11
const ROWS = 1200
const CHUNK = 600
const DIM = 16
const K = 6

const dir = tempDir("report-test-")
const fx = join(dir, "fixtures")
mkdirSync(fx, { recursive: true })
/** A fixture file laid out as the artifact store lays out a stage's files, so the report names its stage. */
const fxFile = (stage: string, file: string): string => {
  const d = join(fx, "stages", stage, "key")
  mkdirSync(d, { recursive: true })
  return join(d, file)
}

const chunks: Array<ProfileChunk> = [0, 1].map((c) => generateChunk(SEED, c, 1 + c * CHUNK, CHUNK, "pt_BR"))
const descriptors = new Map<string, ArtifactDescriptor>()

const buildFixtures = () =>
  Effect.gen(function* () {
    const dbPath = fxFile("profiles", "profiles.sqlite")
    const db = new Database(dbPath)
    db.exec("CREATE TABLE profiles (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    const insert = db.prepare("INSERT INTO profiles (id, name) VALUES (?, ?)")
    db.transaction(() => {
      for (const c of chunks) for (let i = 0; i < c.count; i++) insert.run(c.firstId + i, c.name[i])
    })()
    db.close()
    // The codes file as generate-profiles writes it: every chunk's numeric buffer, in order.
    const codesPath = fxFile("profiles", "profiles.codes")
    writeFileSync(codesPath, Buffer.concat(chunks.map((c) => new Uint8Array(c.buffer))))
    descriptors.set("profiles", {
      kind: "profile-table", digest: "profiles", path: dbPath, table: "profiles", rows: ROWS, seed: SEED, locale: "pt_BR",
      chunkSize: CHUNK, codes: { path: codesPath, bytesPerProfile: BYTES_PER_PROFILE }
    } as ArtifactDescriptor)
    const ids = BigInt64Array.from({ length: ROWS }, (_, i) => BigInt(i + 1))
    const idsPath = fxFile("emb-a", "ids.i64")
    writeFileSync(idsPath, new Uint8Array(ids.buffer))
    const faiss = yield* Faiss
    for (const mode of ["attributes", "seed-random"] as const satisfies ReadonlyArray<EmbeddingMode>) {
      const values = new Float32Array(ROWS * DIM)
      chunks.forEach((c, k) => embeddingsInto(c, DIM, mode, SEED, values.subarray(k * CHUNK * DIM)))
      const path = fxFile(mode === "attributes" ? "emb-a" : "emb-r", `${mode}.f32`)
      writeFileSync(path, new Uint8Array(values.buffer))
      descriptors.set(`embeddings-${mode}`, {
        kind: "vector-matrix", digest: `emb-${mode}`, path, idsPath, rows: ROWS, dim: DIM,
        dbPath: join(fx, "none.sqlite"), table: "embeddings", content: `embeddings:${mode}`, normalized: true
      } as ArtifactDescriptor)
      const indexStage = mode === "attributes" ? "index-a" : "index-r"
      const indexPath = fxFile(indexStage, "index.faiss")
      yield* Effect.scoped(
        Effect.gen(function* () {
          const index = yield* faiss.createIndex({ dim: DIM, factory: "IDMap,Flat", metric: "ip" })
          yield* index.addWithIds(values, ids)
          yield* index.write(indexPath)
        })
      )
      // index-a has a build record (index.json); index-r has none and carries a missed-target warning.
      if (mode === "attributes") {
        const tuning: AnnIndexTuning = {
          rows: ROWS, dim: DIM, metric: "ip", targetRecall: 0.95, factory: "IDMap,Flat", searchParameters: {},
          recallAt10: 1, seconds: { train: 1.5, add: 0.25 }, tuning: [{ name: "flat", value: 0, recall: 1, queriesPerSecond: 1000 }]
        }
        writeFileSync(fxFile(indexStage, "index.json"), JSON.stringify(tuning))
      }
      descriptors.set(`index-${mode}`, {
        kind: "ann-index", digest: `index-${mode}`, path: indexPath, factory: "IDMap,Flat", metric: "ip",
        rows: ROWS, dim: DIM, searchParameters: {}, recallAt10: 1,
        ...(mode === "attributes" ? {} : { warning: "recall@10 0.50 < target 0.90 <best at nprobe 8>" })
      } as ArtifactDescriptor)
    }
    const assignments = Int32Array.from({ length: ROWS }, (_, i) => (i * 7) % K)
    const assignmentsPath = fxFile("clusters", "assign.i32")
    writeFileSync(assignmentsPath, new Uint8Array(assignments.buffer))
    const metricsPath = fxFile("clusters", "metrics.json")
    const metrics: ClusterMetrics = {
      k: K, rows: ROWS, dim: DIM, spherical: true, init: "random", niter: 3, nredo: 1, kmeansSeconds: 0.5,
      objective: [3, 2, 1], finalObjective: 1, meanSquaredDistance: 0.25,
      clusterSize: { min: 200, median: 200, max: 200, empty: 0 }, clusterSizes: new Array<number>(K).fill(200),
      silhouette: { method: "simplified", sample: 100, value: 0.123 }
    }
    writeFileSync(metricsPath, JSON.stringify(metrics))
    descriptors.set("clusters", {
      kind: "cluster-assignment", digest: "clusters", dbPath: join(fx, "clusters.sqlite"), table: "clusters",
      centroidsPath: join(fx, "centroids.f32"), assignmentsPath, metricsPath, k: K, rows: ROWS, dim: DIM, spherical: true
    } as ArtifactDescriptor)
  }).pipe(Effect.provide(FaissNative))

/** A kind that hands over a prebuilt descriptor: `fx-<name>`. */
const fixtureKind = (name: string, artifact: ArtifactKind) =>
  defineStageKind({
    name: `fx-${name}`,
    version: 1,
    description: "test fixture",
    config: Schema.Struct({}),
    inputs: {},
    output: artifact,
    run: () => Effect.sync(() => descriptors.get(name)!)
  })

const registry = makeRegistry<Faiss | WorkerPool>([
  fixtureKind("profiles", ProfileTable),
  fixtureKind("embeddings-attributes", VectorMatrix),
  fixtureKind("embeddings-seed-random", VectorMatrix),
  fixtureKind("index-attributes", AnnIndex),
  fixtureKind("index-seed-random", AnnIndex),
  fixtureKind("clusters", ClusterAssignment),
  matchExhaustive,
  matchEval,
  report,
  reportCompare
])

const PIPELINE = `pipeline: report-test
layers: { store: { dir: $OUT } }
stages:
  profiles: { uses: fx-profiles }
  emb-a: { uses: fx-embeddings-attributes }
  emb-r: { uses: fx-embeddings-seed-random }
  index-a: { uses: fx-index-attributes }
  index-r: { uses: fx-index-seed-random }
  clusters: { uses: fx-clusters }
  exhaustive:
    uses: match-exhaustive
    inputs: { profiles: profiles }
    with: { origins: 30, match: { gates: { availability: 0.3 } } }
  match:
    uses: match-eval
    inputs: { profiles: profiles, embeddings: emb-a, index: index-a, exhaustive: exhaustive }
  baseline:
    uses: match-eval
    inputs: { profiles: profiles, embeddings: emb-r, index: index-r, exhaustive: exhaustive }
  report:
    uses: report-compare
    inputs: { profiles: profiles, clusters: clusters, evaluations: [match, baseline] }
    with: { title: "Report <test>", sampleRow: 5 }
  single:
    uses: report
    inputs: { profiles: profiles, clusters: clusters, match: baseline }
`

const stageFile = (stage: string, file: string): string => {
  const base = join(dir, "out", "stages", stage)
  const key = readdirSync(base)[0]!
  return join(base, key, file)
}

let runOutcomes: Record<string, string> = {}
let runId = ""

beforeAll(async () => {
  await Effect.runPromise(buildFixtures())
  const file = writePipeline(dir, PIPELINE)
  const result = await Effect.runPromise(
    runPipelineWith(file, { ledger: memoryLedger(), registry, services: Layer.merge(FaissNative, WorkerPoolInline.layer), concurrency: 2 })
  )
  runOutcomes = outcomes(result)
  runId = result.runId
})

const minimalModel = (): ReportModel => ({
  title: "t",
  run: { runId: "r<1>", stage: "s", kind: "report", config: [["title", "<i>t</i>"]] },
  profiles: { rows: 1, seed: 1, locale: "pt_BR", path: "p" },
  stages: [{ stage: "st<a>", what: "w", settings: "x & y", time: "—" }],
  describe: [],
  counts: [{ name: "city", values: [{ value: "<b>x</b>", count: 1 }], distinct: 1 }],
  ageHistogram: [{ label: "18", count: 1 }],
  sample: { fields: [["name", "<script>alert('x')</script>"], ["description", 'a & "b"']], vectorHead: [0.5], embeddingHead: [], clusterId: 0 },
  clusters: { k: 1, rows: 1, sizes: [1], min: 1, median: 1, mean: 1, max: 1, empty: 0, metrics: [] },
  matches: [],
  paths: []
})

describe("report", () => {
  it("runs match-eval twice and both report kinds through the runtime", () => {
    expect(runOutcomes).toMatchObject({ exhaustive: "succeeded", match: "succeeded", baseline: "succeeded", report: "succeeded", single: "succeeded" })
  })

  it("writes the console text with every section", () => {
    const text = readFileSync(stageFile("report", "report.txt"), "utf8")
    for (const part of ["Numeric fields", "age", "Categorical fields", "sex (", "Sample profile", "embedding (head)", "vector (head)", "clusterId", "Clusters: k 6, 1,200 rows", "silhouette: 0.1230", "finalObjective", "Match evaluation", "attributes", "seed-random", "report.html", "Stages"]) {
      expect(text).toContain(part)
    }
    // Sample row 5 is profile id 6; its cluster is (5 * 7) % 6 in the fixture's assignment.
    expect(text).toMatch(/clusterId\s+5\b/)
    expect(text).toContain(chunks[0]!.name[5]!)
    expect(text).toContain(`run ${runId}, stage report (report-compare)`)
    expect(text).toContain("config: title Report <test>, sampleRow 5, headLength 8, topValues 10")
    // Each evaluation is named by its stage, embeddings and index (stage, factory, parameters).
    expect(text).toContain("match: attributes, index-a IDMap,Flat")
    expect(text).toContain("baseline: seed-random, index-r IDMap,Flat")
    // Stage rows with what their files record: k-means seconds, index build times and target.
    expect(text).toMatch(/clusters\s+k-means\s+k 6, 1,200 × 16, spherical \(cosine\), init random, niter 3, nredo 1\s+k-means 0\.50 s/)
    expect(text).toMatch(/index-a\s+ann-index\s+IDMap,Flat, recall@10 1\.000 \(target 0\.95\)\s+train 1\.50 s, add 0\.25 s, 1 tuning step\b/)
    expect(text).toContain("warning: index-r: recall@10 0.50 < target 0.90 <best at nprobe 8>")
    // Column names are explained; paths hold the matrices and the index files.
    expect(text).toContain("  ANN full: share of origins whose ANN top list holds `top` matches")
    for (const file of ["attributes.f32", "seed-random.f32", "ids.i64", join("index-a", "key", "index.faiss"), join("index-a", "key", "index.json"), join("index-r", "key", "index.faiss"), "assign.i32", "metrics.json", "match-eval.json"]) {
      expect(text).toContain(file)
    }
    expect(text).not.toContain(join("index-r", "key", "index.json"))
  })

  it("writes a self-contained HTML page with the three charts", () => {
    const html = readFileSync(stageFile("report", "report.html"), "utf8")
    for (const id of ["chart-age", "chart-clusters", "chart-scores"]) expect(html).toContain(`<svg id="${id}"`)
    expect(html).not.toMatch(/<script|<link|@import|https?:\/\/(?!www\.w3\.org\/2000\/svg)/)
    expect(html).toContain("<title>Report &lt;test&gt;</title>")
    expect(html).toContain(escapeHtml(runId))
    expect(html).toContain("<td>match: attributes, index-a IDMap,Flat</td>")
    expect(html).toContain("<td>baseline: seed-random, index-r IDMap,Flat</td>")
    expect(html).toContain("recall@10 0.50 &lt; target 0.90 &lt;best at nprobe 8&gt;")
    expect(html).toContain('<td class="num">1,200</td>')
    // Responsive charts: a viewBox and no fixed pixel width; axis titles on both axes.
    expect(html).not.toMatch(/<svg[^>]* width="\d+"/)
    expect(html).toMatch(/<svg id="chart-age" [^>]*viewBox="0 0 640 \d+"/)
    expect(html).toContain('class="axis-title">age (years)</text>')
    expect(html).toContain('class="axis-title">profiles</text>')
    expect(html).toContain("prefers-color-scheme: dark")
    expect(html).toContain("<dt>ANN full</dt>")
    const single = readFileSync(stageFile("single", "report.html"), "utf8")
    expect(single).toContain("seed-random")
    expect(single).toContain("<dd>single (report)</dd>")
  })

  it("labels any number of evaluations by stage and index, and summarises them in a few lines", () => {
    const result = JSON.parse(readFileSync(stageFile("match", "match-eval.json"), "utf8"))
    const section = (stage: string, indexStage: string, factory: string, nprobe: number): MatchSection => ({
      stage,
      label: `${stage}: attributes, ${indexStage} ${factory} (nprobe ${nprobe})`,
      embeddings: "attributes",
      embeddingsStage: "embeddings",
      index: { stage: indexStage, factory, searchParameters: { nprobe }, recallAt10: 0.9, warning: null, build: null },
      result
    })
    const model: ReportModel = {
      ...minimalModel(),
      matches: [section("match-ivf", "index-ivf", "IVF64,Flat", 8), section("match-pq", "index-pq", "IVF64,PQ8", 16), section("match-hnsw", "index-hnsw", "HNSW32", 0)]
    }
    const html = renderHtml(readFileSync(templatePath(), "utf8"), model)
    for (const s of model.matches) expect(html).toContain(`<td>${s.label}</td>`)
    expect(html).toContain("match-pq (ANN)")
    const summary = renderSummary(model, "/out/report.html", "/out/report.txt")
    const lines = summary.split("\n")
    expect(lines[0]).toBe("report: /out/report.html (text: /out/report.txt)")
    expect(lines.length).toBe(2 + model.matches.length)
    expect(lines[2]).toMatch(/^  match-ivf: attributes, index-ivf IVF64,Flat \(nprobe 8\): recall \d\.\d{3}/)
  })

  it("formats numbers, ticks and stage names", () => {
    expect(groupDigits(1234567)).toBe("1,234,567")
    expect(groupDigits("-12345.678")).toBe("-12,345.678")
    expect(groupDigits(999)).toBe("999")
    expect(niceTicks(87)).toEqual([0, 20, 40, 60, 80, 100])
    expect(niceTicks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(niceTicks(0)).toEqual([0, 1])
    const svg = barChart("c", "T <x>", ["a", "b"], [{ name: "s", slot: 0, values: [1500, 12000] }], { x: "x title", y: "y title" })
    expect(svg).toContain("s, b: 12,000</title>")
    expect(svg).toContain(">15,000</text>")
    expect(svg).toContain(">5,000</text>")
    expect(svg).toContain('class="axis-title">x title</text>')
    expect(svg).toContain('rotate(-90)" text-anchor="middle" class="axis-title">y title</text>')
    expect(svg).toContain("<title id=\"c-title\">T &lt;x&gt;</title>")
    expect(stageOfPath(join("/o", "stages", "index", "abc123", "index.faiss"))).toBe("index")
    expect(stageOfPath("/elsewhere/index.faiss")).toBeNull()
  })

  it("escapes profile text in HTML", () => {
    const model = minimalModel()
    const html = renderHtml(readFileSync(templatePath(), "utf8"), model)
    expect(html).not.toContain("<script>")
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
    expect(html).toContain("a &amp; &quot;b&quot;")
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;")
    expect(escapeHtml("<&>")).toBe("&lt;&amp;&gt;")
    expect(html).toContain("r&lt;1&gt;")
    expect(html).toContain("&lt;i&gt;t&lt;/i&gt;")
    expect(html).toContain("st&lt;a&gt;")
    expect(html).toContain("x &amp; y")
  })

  it("describes histograms and cluster sizes", () => {
    // values 1, 2, 2, 3, 10 as counts per value
    const counts = new Array<number>(11).fill(0)
    for (const v of [1, 2, 2, 3, 10]) counts[v]! += 1
    const d = describeCounts("x", counts)
    expect(d).toMatchObject({ count: 5, mean: 3.6, min: 1, p25: 2, p50: 2, p75: 3, max: 10 })
    expect(d.std).toBeCloseTo(Math.sqrt((2.6 ** 2 + 1.6 ** 2 * 2 + 0.6 ** 2 + 6.4 ** 2) / 4), 12)
    const c = clusterStats(4, Int32Array.from([0, 0, 1, 3, 3, 3]), { silhouette: 0.5, k: 4, objective: [1] })
    expect(c).toMatchObject({ k: 4, rows: 6, sizes: [2, 1, 0, 3], min: 0, median: 1.5, max: 3, empty: 1, metrics: [["silhouette", 0.5]] })
    // An entry with a numeric `value` (the k-means metrics' silhouette) shows as that value.
    const nested = clusterStats(2, Int32Array.from([0, 1]), { rows: 2, finalObjective: 1.5, silhouette: { method: "m", value: 0.25 } })
    expect(nested.metrics).toEqual([["finalObjective", 1.5], ["silhouette", 0.25]])
  })

  it("finds the template from the package root", () => {
    expect(existsSync(join(packageRoot(), "package.json"))).toBe(true)
    expect(existsSync(templatePath())).toBe(true)
  })
})
