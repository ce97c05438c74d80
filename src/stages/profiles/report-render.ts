/**
 * The report's renderings of one ReportModel: console text, the few lines of its summary for the
 * stage's progress, and a self-contained HTML page (no scripts, no external fonts or styles;
 * charts are inline SVG that scale with the page through their viewBox). Every piece of data text
 * that goes into HTML passes through `escapeHtml`. Numbers have thousands separators (`groupDigits`).
 */
import { indexText, parametersText, type MatchSection, type ReportModel } from "./report-model.js"

export const escapeHtml = (text: string): string =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;")

/**
 * A number (or its decimal text) with "," between thousands of its integer part: 12,345.678.
 * Written out rather than `toLocaleString` so the report's bytes do not depend on the ICU data.
 */
export const groupDigits = (x: number | string): string => {
  const text = typeof x === "number" ? String(x) : x
  const m = /^(-?)(\d+)(.*)$/.exec(text)
  return m === null ? text : `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${m[3]}`
}

const fmt = (x: number, digits = 3): string => groupDigits(Number.isInteger(x) ? String(x) : x.toFixed(digits))
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n")
}

const describeRows = (m: ReportModel) =>
  m.describe.map((d) => [d.name, fmt(d.count), fmt(d.mean), fmt(d.std), fmt(d.min), fmt(d.p25), fmt(d.p50), fmt(d.p75), fmt(d.max)])
const DESCRIBE_HEADER = ["field", "count", "mean", "std", "min", "25%", "50%", "75%", "max"]

const head = (xs: ReadonlyArray<number>) => `[${xs.map((x) => x.toFixed(4)).join(", ")}${xs.length > 0 ? ", ..." : ""}]`

const sampleRows = (m: ReportModel): ReadonlyArray<readonly [string, string]> => [
  ...m.sample.fields,
  ["clusterId", m.sample.clusterId === null ? "(none)" : String(m.sample.clusterId)],
  ["vector (head)", head(m.sample.vectorHead)],
  ["embedding (head)", head(m.sample.embeddingHead)]
]

const STAGES_HEADER = ["stage", "what", "settings", "time (as its files record it)"]
const stageRowsOf = (m: ReportModel) => m.stages.map((s) => [s.stage, s.what, s.settings, s.time])

/** The match table's columns, with what each means (shown under the table). */
export const MATCH_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ["evaluation", "the match-eval stage: the embeddings it queried and the index it searched (stage, factory, search parameters)"],
  ["origins", "profiles whose matches were evaluated (a seeded sample)"],
  ["gate-pass", "share of the retrieved candidates that pass both gates (platform and availability similarity)"],
  ["ANN full", "share of origins whose ANN top list holds `top` matches"],
  ["exh. full", "share of origins whose exhaustive top list (every profile scored) holds `top` matches"],
  ["ANN mean", "mean over origins of the ANN top list's mean score (missing slots count 0)"],
  ["exh. mean", "the same for the exhaustive top lists: the best any retrieval can reach"],
  ["recall", "|ANN top ∩ exhaustive top| / |exhaustive top|, mean over origins"],
  ["recall (ties)", "tie-aware recall: ANN matches scoring at least the exhaustive list's last score count"],
  ["ANN ms/origin", "wall time per origin of the index search and rescoring"],
  ["exh. ms/origin", "wall time per origin of exhaustive scoring"]
]
const MATCH_HEADER = MATCH_COLUMNS.map(([name]) => name)
const matchRows = (m: ReportModel) =>
  m.matches.map(({ label, result }) => {
    const f = result.figures
    return [
      label,
      fmt(f.origins),
      pct(f.candidateGatePassShare),
      pct(f.annFullShare),
      pct(f.exhaustiveFullShare),
      f.annMeanTopScore.toFixed(4),
      f.exhaustiveMeanTopScore.toFixed(4),
      f.recall.toFixed(4),
      f.scoreRecall.toFixed(4),
      f.annMsPerOrigin.toFixed(3),
      f.exhaustiveMsPerOrigin.toFixed(3)
    ]
  })

const warnings = (m: ReportModel): ReadonlyArray<string> =>
  m.matches.flatMap((s) => (s.index.warning === null ? [] : [`${s.index.stage ?? s.stage}: ${s.index.warning}`]))

const runLine = (m: ReportModel) => `run ${m.run.runId}, stage ${m.run.stage} (${m.run.kind})`
const profilesLine = (m: ReportModel) => `${fmt(m.profiles.rows)} profiles, seed ${m.profiles.seed}, locale ${m.profiles.locale}`

/** One evaluation's headline: recall and mean top scores. */
const headline = (s: MatchSection): string => {
  const f = s.result.figures
  return `${s.label}: recall ${f.recall.toFixed(3)} (tie-aware ${f.scoreRecall.toFixed(3)}), mean top score ${f.annMeanTopScore.toFixed(3)} vs exhaustive ${f.exhaustiveMeanTopScore.toFixed(3)}`
}

/** The few lines the stage's progress shows: where the report is, and its headline figures. */
export const renderSummary = (m: ReportModel, htmlPath: string, textPath: string): string =>
  [
    `report: ${htmlPath} (text: ${textPath})`,
    `  ${profilesLine(m)}; k ${m.clusters.k} clusters`,
    ...m.matches.map((s) => `  ${headline(s)}`),
    ...warnings(m).map((w) => `  warning: ${w}`)
  ].join("\n")

export const renderText = (m: ReportModel): string => {
  const parts: Array<string> = []
  parts.push(`${m.title}`, runLine(m), `config: ${m.run.config.map(([k, v]) => `${k} ${v}`).join(", ")}`, `profiles: ${profilesLine(m)}`)
  for (const w of warnings(m)) parts.push(`warning: ${w}`)
  parts.push("", "Stages", table(STAGES_HEADER, stageRowsOf(m)))
  parts.push("", "Numeric fields", table(DESCRIBE_HEADER, describeRows(m)))
  parts.push("", "Categorical fields (most frequent)")
  for (const c of m.counts) {
    parts.push(`  ${c.name} (${c.distinct} distinct): ${c.values.map((v) => `${v.value} ${fmt(v.count)}`).join(" | ")}`)
  }
  const clip = (v: string) => (v.length > 100 ? `${v.slice(0, 97)}...` : v)
  parts.push("", "Sample profile", table(["field", "value"], sampleRows(m).map(([k, v]) => [k, clip(v)])))
  const cs = m.clusters
  parts.push(
    "",
    `Clusters: k ${cs.k}, ${fmt(cs.rows)} rows; size min ${fmt(cs.min)}, median ${fmt(cs.median)}, mean ${fmt(cs.mean)}, max ${fmt(cs.max)}, empty ${cs.empty}`
  )
  for (const [key, value] of cs.metrics) parts.push(`  ${key}: ${fmt(value, 4)}`)
  parts.push("", "Match evaluation (top lists rescored with the match score)", table(MATCH_HEADER, matchRows(m)))
  parts.push(...MATCH_COLUMNS.map(([name, meaning]) => `  ${name}: ${meaning}`))
  parts.push("", "Paths", ...m.paths.map(([label, path]) => `  ${label}: ${path}`))
  return parts.join("\n") + "\n"
}

// ---------------------------------------------------------------------------------------------
// SVG charts

export interface Series {
  readonly name: string
  /** Colour slot 0..3: a CSS class (`s0`..`s3`) the page's themes colour. */
  readonly slot: number
  readonly values: ReadonlyArray<number>
}

/** Axis titles of a chart. */
export interface Axes {
  readonly x: string
  readonly y: string
}

/** Ticks at 1, 2 or 5 × 10^k from 0 to at least `max`, about `target` of them. */
export const niceTicks = (max: number, target = 5): ReadonlyArray<number> => {
  if (!(max > 0)) return [0, 1]
  const raw = max / target
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].find((f) => f * power >= raw) ?? 10) * power
  const ticks: Array<number> = []
  for (let i = 0; ; i++) {
    const t = Number((i * step).toPrecision(12))
    ticks.push(t)
    if (t >= max) return ticks
  }
}

const tickText = (t: number): string => (Number.isInteger(t) ? groupDigits(t) : groupDigits(t.toPrecision(6).replace(/\.?0+$/, "")))

/** Chart geometry, in viewBox units; the SVG scales to its container's width. */
const VIEW_W = 640
const VIEW_H = 300
// Layout width of a character: enough for the larger fonts the page uses on narrow screens.
const CHAR_W = 9.5

/**
 * A bar chart of one or more series over the same labels (bars side by side per label), with
 * y ticks and grid lines, x labels thinned to fit, both axis titles and a legend that wraps.
 */
export const barChart = (id: string, title: string, labels: ReadonlyArray<string>, series: ReadonlyArray<Series>, axes: Axes): string => {
  // Legend lines: items laid out by their label length, wrapping at the view's width.
  const legend: Array<Array<{ readonly s: Series; readonly x: number }>> = []
  if (series.length > 1) {
    let line: Array<{ readonly s: Series; readonly x: number }> = []
    let x = 56
    for (const s of series) {
      const w = 34 + s.name.length * CHAR_W
      if (line.length > 0 && x + w > VIEW_W - 8) {
        legend.push(line)
        line = []
        x = 56
      }
      line.push({ s, x })
      x += w
    }
    legend.push(line)
  }
  const max = Math.max(0, ...series.flatMap((s) => s.values))
  const ticks = niceTicks(max)
  const top = ticks[ticks.length - 1]!
  const widest = Math.max(...ticks.map((t) => tickText(t).length))
  const pad = { left: 30 + widest * CHAR_W, right: 12, top: 34 + legend.length * 22, bottom: 52 }
  const height = VIEW_H + legend.length * 22
  const plotW = VIEW_W - pad.left - pad.right
  const plotH = height - pad.top - pad.bottom
  const slot = plotW / Math.max(1, labels.length)
  const barW = Math.max(0.5, (slot * 0.85) / Math.max(1, series.length))
  const y = (v: number) => pad.top + plotH - (v / top) * plotH
  const out: Array<string> = []
  out.push(`<svg id="${escapeHtml(id)}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${VIEW_W} ${height}" preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="${escapeHtml(id)}-title">`)
  out.push(`<title id="${escapeHtml(id)}-title">${escapeHtml(title)}</title>`)
  out.push(`<text x="8" y="20" class="chart-title">${escapeHtml(title)}</text>`)
  legend.forEach((line, li) => {
    for (const { s, x } of line) {
      const ly = 42 + li * 22
      out.push(`<rect x="${x.toFixed(1)}" y="${ly - 9}" width="11" height="11" class="s${s.slot}"/><text x="${(x + 15).toFixed(1)}" y="${ly + 1}" class="tick">${escapeHtml(s.name)}</text>`)
    }
  })
  for (const t of ticks) {
    const ty = y(t).toFixed(2)
    out.push(`<line x1="${pad.left}" y1="${ty}" x2="${pad.left + plotW}" y2="${ty}" class="grid"/>`)
    out.push(`<text x="${pad.left - 5}" y="${(y(t) + 4).toFixed(2)}" text-anchor="end" class="tick">${tickText(t)}</text>`)
  }
  series.forEach((s, si) => {
    s.values.forEach((v, i) => {
      const h = (v / top) * plotH
      const x = pad.left + i * slot + (slot * 0.075) + si * barW
      out.push(
        `<rect x="${x.toFixed(2)}" y="${(pad.top + plotH - h).toFixed(2)}" width="${barW.toFixed(2)}" height="${h.toFixed(2)}" class="s${s.slot}"><title>${escapeHtml(`${s.name}, ${labels[i] ?? ""}: ${fmt(v)}`)}</title></rect>`
      )
    })
  })
  out.push(`<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${pad.left + plotW}" y2="${pad.top + plotH}" class="axis"/>`)
  out.push(`<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + plotH}" class="axis"/>`)
  // X labels: as many as fit without overlapping, always the first.
  const labelW = Math.max(1, ...labels.map((l) => l.length)) * CHAR_W + 8
  const every = Math.max(1, Math.ceil(labelW / slot))
  labels.forEach((label, i) => {
    if (i % every !== 0) return
    const x = pad.left + i * slot + slot / 2
    out.push(`<line x1="${x.toFixed(2)}" y1="${pad.top + plotH}" x2="${x.toFixed(2)}" y2="${pad.top + plotH + 4}" class="axis"/>`)
    out.push(`<text x="${x.toFixed(2)}" y="${pad.top + plotH + 17}" text-anchor="middle" class="tick">${escapeHtml(label)}</text>`)
  })
  out.push(`<text x="${(pad.left + plotW / 2).toFixed(1)}" y="${height - 8}" text-anchor="middle" class="axis-title">${escapeHtml(axes.x)}</text>`)
  out.push(`<text transform="translate(14 ${(pad.top + plotH / 2).toFixed(1)}) rotate(-90)" text-anchor="middle" class="axis-title">${escapeHtml(axes.y)}</text>`)
  out.push("</svg>")
  return out.join("")
}

/** Counts of `values` in `bins` equal bins over [lo, hi]. */
export const histogram = (values: ReadonlyArray<number>, bins: number, lo: number, hi: number): Array<number> => {
  const out = new Array<number>(bins).fill(0)
  const span = hi - lo || 1
  for (const v of values) out[Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / span) * bins)))]! += 1
  return out
}

export const scoreChart = (m: ReportModel): string => {
  const bins = 20
  const labels = Array.from({ length: bins }, (_, i) => (i / bins).toFixed(2))
  const series: Array<Series> = []
  const seen: Array<string> = []
  m.matches.forEach(({ stage, result }, i) => {
    series.push({ name: `${stage} (ANN)`, slot: (2 * i) % 4, values: histogram(result.results.flatMap((r) => r.ann.map((x) => x.score)), bins, 0, 1) })
    const exhaustive = histogram(result.results.flatMap((r) => r.exhaustive.map((x) => x.score)), bins, 0, 1)
    // Evaluations over the same profiles and origins share their exhaustive lists: draw them once.
    const key = exhaustive.join(",")
    if (seen.includes(key)) return
    seen.push(key)
    series.push({ name: i === 0 ? "exhaustive" : `${stage} (exhaustive)`, slot: (2 * i + 1) % 4, values: exhaustive })
  })
  return barChart("chart-scores", "Top-match score distribution (ANN vs exhaustive)", labels, series, {
    x: "match score (bin start, bins of 0.05)",
    y: "matches in the top lists"
  })
}

export const clusterChart = (m: ReportModel): string => {
  const sizes = m.clusters.sizes
  const bins = Math.min(30, Math.max(1, m.clusters.max - m.clusters.min + 1))
  const lo = m.clusters.min
  const hi = m.clusters.max + 1
  const labels = Array.from({ length: bins }, (_, i) => groupDigits(Math.round(lo + ((hi - lo) * i) / bins)))
  return barChart("chart-clusters", `Cluster sizes (k = ${m.clusters.k})`, labels, [{ name: "clusters", slot: 2, values: histogram(sizes, bins, lo, hi) }], {
    x: "cluster size (profiles, bin start)",
    y: "clusters"
  })
}

export const ageChart = (m: ReportModel): string =>
  barChart("chart-age", "Age histogram", m.ageHistogram.map((a) => a.label), [{ name: "profiles", slot: 0, values: m.ageHistogram.map((a) => a.count) }], {
    x: "age (years)",
    y: "profiles"
  })

/** Numeric-looking cells (figures, percentages, times) are right-aligned. */
const NUMERIC = /^-?[\d,]+(\.\d+)?%?$/

const htmlTable = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>, className = ""): string =>
  `<div class="scroll"><table${className === "" ? "" : ` class="${className}"`}><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td${NUMERIC.test(c) ? ' class="num"' : ""}>${escapeHtml(c)}</td>`).join("")}</tr>`)
    .join("")}</tbody></table></div>`

const definitions = (items: ReadonlyArray<readonly [string, string]>): string =>
  `<dl class="legend">${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`

/** The page body; the template supplies the document, styles and `{{title}}` / `{{content}}` slots. */
export const renderHtmlContent = (m: ReportModel): string => {
  const parts: Array<string> = []
  parts.push(
    `<section class="run"><p class="lead">${escapeHtml(profilesLine(m))}</p>${definitions([
      ["run", m.run.runId],
      ["report stage", `${m.run.stage} (${m.run.kind})`],
      ["config", m.run.config.map(([k, v]) => `${k}: ${v}`).join(" · ")],
      ...m.matches.map((s, i) => [`evaluation ${i + 1}`, `${s.stage}: ${s.embeddings} embeddings, ${indexText(s.index)}`] as const)
    ])}</section>`
  )
  for (const w of warnings(m)) parts.push(`<p class="warning">${escapeHtml(`warning: ${w}`)}</p>`)
  parts.push(`<section><h2>Stages</h2>${htmlTable(STAGES_HEADER, stageRowsOf(m), "stages")}</section>`)
  parts.push(`<section><h2>Profiles</h2>${ageChart(m)}<h3>Numeric fields</h3>${htmlTable(DESCRIBE_HEADER, describeRows(m))}`)
  parts.push('<h3>Categorical fields</h3><div class="counts">')
  for (const c of m.counts) {
    parts.push(`<div><h4>${escapeHtml(`${c.name} (${c.distinct} distinct)`)}</h4>${htmlTable(["value", "count"], c.values.map((v) => [v.value, fmt(v.count)]))}</div>`)
  }
  parts.push(`</div></section><section><h2>Sample profile</h2>${htmlTable(["field", "value"], sampleRows(m), "sample")}</section>`)
  const cs = m.clusters
  parts.push(
    `<section><h2>Clusters</h2>${clusterChart(m)}${htmlTable(["statistic", "value"], [
      ["k", fmt(cs.k)],
      ["rows", fmt(cs.rows)],
      ["size min / median / mean / max", `${fmt(cs.min)} / ${fmt(cs.median)} / ${fmt(cs.mean)} / ${fmt(cs.max)}`],
      ["empty clusters", fmt(cs.empty)],
      ...cs.metrics.map(([k, v]) => [k, fmt(v, 4)])
    ])}</section>`
  )
  const indexRows = m.matches.map((s) => [
    s.stage,
    s.index.stage ?? "—",
    s.index.factory,
    parametersText(s.index.searchParameters) || "—",
    s.index.recallAt10.toFixed(3),
    s.index.build === null ? "—" : String(s.index.build.targetRecall),
    s.index.warning ?? "—"
  ])
  parts.push(
    `<section><h2>Match evaluation</h2>${scoreChart(m)}${htmlTable(MATCH_HEADER, matchRows(m), "matches")}${definitions(MATCH_COLUMNS)}` +
      `<h3>Evaluated indexes</h3>${htmlTable(["evaluation", "index stage", "factory", "search parameters", "recall@10", "target", "warning"], indexRows)}</section>`
  )
  parts.push(`<section><h2>Paths</h2>${htmlTable(["what", "path"], m.paths.map(([a, b]) => [a, b]), "paths")}</section>`)
  return parts.join("\n")
}

/** Fills the template's `{{title}}` and `{{content}}` slots (title escaped, content already HTML). */
export const renderHtml = (template: string, m: ReportModel): string =>
  template.replaceAll("{{title}}", () => escapeHtml(m.title)).replace("{{content}}", () => renderHtmlContent(m))
