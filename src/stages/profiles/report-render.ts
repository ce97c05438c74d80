/**
 * The report's two renderings of one ReportModel: console text, and a self-contained HTML page
 * (no scripts, no external fonts or styles; charts are inline SVG). Every piece of data text that
 * goes into HTML passes through `escapeHtml`.
 */
import type { ReportModel } from "./report-model.js"

export const escapeHtml = (text: string): string =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;")

const fmt = (x: number, digits = 3): string => (Number.isInteger(x) ? String(x) : x.toFixed(digits))
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n")
}

const describeRows = (m: ReportModel) =>
  m.describe.map((d) => [d.name, String(d.count), fmt(d.mean), fmt(d.std), fmt(d.min), fmt(d.p25), fmt(d.p50), fmt(d.p75), fmt(d.max)])
const DESCRIBE_HEADER = ["field", "count", "mean", "std", "min", "25%", "50%", "75%", "max"]

const head = (xs: ReadonlyArray<number>) => `[${xs.map((x) => x.toFixed(4)).join(", ")}${xs.length > 0 ? ", ..." : ""}]`

const sampleRows = (m: ReportModel): ReadonlyArray<readonly [string, string]> => [
  ...m.sample.fields,
  ["clusterId", m.sample.clusterId === null ? "(none)" : String(m.sample.clusterId)],
  ["vector (head)", head(m.sample.vectorHead)],
  ["embedding (head)", head(m.sample.embeddingHead)]
]

const MATCH_HEADER = ["embeddings", "origins", "gate-pass", "ann full", "exh full", "ann mean", "exh mean", "recall", "recall (ties)", "ann ms/origin", "exh ms/origin"]
const matchRows = (m: ReportModel) =>
  m.matches.map(({ label, result }) => {
    const f = result.figures
    return [
      label,
      String(f.origins),
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

export const renderText = (m: ReportModel): string => {
  const parts: Array<string> = []
  parts.push(`${m.title}`, `profiles: ${m.profiles.rows} rows, seed ${m.profiles.seed}, locale ${m.profiles.locale}`)
  parts.push("", "Numeric fields", table(DESCRIBE_HEADER, describeRows(m)))
  parts.push("", "Categorical fields (most frequent)")
  for (const c of m.counts) {
    parts.push(`  ${c.name} (${c.distinct} distinct): ${c.values.map((v) => `${v.value} ${v.count}`).join(" | ")}`)
  }
  const clip = (v: string) => (v.length > 100 ? `${v.slice(0, 97)}...` : v)
  parts.push("", "Sample profile", table(["field", "value"], sampleRows(m).map(([k, v]) => [k, clip(v)])))
  const cs = m.clusters
  parts.push(
    "",
    `Clusters: k ${cs.k}, ${cs.rows} rows; size min ${cs.min}, median ${fmt(cs.median)}, mean ${fmt(cs.mean)}, max ${cs.max}, empty ${cs.empty}`
  )
  for (const [key, value] of cs.metrics) parts.push(`  ${key}: ${fmt(value, 4)}`)
  parts.push("", "Match evaluation (top lists rescored with the match score)", table(MATCH_HEADER, matchRows(m)))
  parts.push("", "Paths", ...m.paths.map(([label, path]) => `  ${label}: ${path}`))
  return parts.join("\n") + "\n"
}

// ---------------------------------------------------------------------------------------------
// SVG charts

export interface Series {
  readonly name: string
  readonly color: string
  readonly values: ReadonlyArray<number>
}

/** A bar chart of one or more series over the same labels (bars side by side per label). */
export const barChart = (
  id: string,
  title: string,
  labels: ReadonlyArray<string>,
  series: ReadonlyArray<Series>,
  width = 720,
  height = 240
): string => {
  const pad = { left: 48, right: 12, top: series.length > 1 ? 44 : 28, bottom: 36 }
  const plotW = width - pad.left - pad.right
  const plotH = height - pad.top - pad.bottom
  const max = Math.max(1, ...series.flatMap((s) => s.values))
  const slot = plotW / Math.max(1, labels.length)
  const barW = Math.max(1, (slot * 0.85) / Math.max(1, series.length))
  const out: Array<string> = []
  out.push(`<svg id="${escapeHtml(id)}" class="chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`)
  out.push(`<title>${escapeHtml(title)}</title>`)
  out.push(`<text x="${pad.left}" y="16" class="chart-title">${escapeHtml(title)}</text>`)
  out.push(`<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${pad.left + plotW}" y2="${pad.top + plotH}" class="axis"/>`)
  out.push(`<text x="${pad.left - 4}" y="${pad.top + 4}" text-anchor="end" class="tick">${fmt(max, 2)}</text>`)
  out.push(`<text x="${pad.left - 4}" y="${pad.top + plotH}" text-anchor="end" class="tick">0</text>`)
  series.forEach((s, si) => {
    s.values.forEach((v, i) => {
      const h = (v / max) * plotH
      const x = pad.left + i * slot + si * barW
      out.push(
        `<rect x="${x.toFixed(2)}" y="${(pad.top + plotH - h).toFixed(2)}" width="${barW.toFixed(2)}" height="${h.toFixed(2)}" fill="${s.color}"><title>${escapeHtml(`${s.name} ${labels[i] ?? ""}: ${fmt(v)}`)}</title></rect>`
      )
    })
  })
  const every = Math.max(1, Math.ceil(labels.length / 12))
  labels.forEach((label, i) => {
    if (i % every !== 0) return
    out.push(`<text x="${(pad.left + i * slot + slot / 2).toFixed(2)}" y="${height - pad.bottom + 14}" text-anchor="middle" class="tick">${escapeHtml(label)}</text>`)
  })
  if (series.length > 1) {
    // Legend on its own line under the title, items laid out by their label length.
    let x = pad.left
    for (const s of series) {
      out.push(`<rect x="${x}" y="${pad.top - 14}" width="10" height="10" fill="${s.color}"/><text x="${x + 14}" y="${pad.top - 5}" class="tick">${escapeHtml(s.name)}</text>`)
      x += 24 + s.name.length * 6
    }
  }
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

const COLORS = ["#3b6ea5", "#d9822b", "#3f9c5a", "#b04a6f"]

export const scoreChart = (m: ReportModel): string => {
  const bins = 20
  const labels = Array.from({ length: bins }, (_, i) => (i / bins).toFixed(2))
  const series: Array<Series> = []
  const seen: Array<string> = []
  m.matches.forEach(({ label, result }, i) => {
    series.push({ name: `${label} ANN`, color: COLORS[(2 * i) % COLORS.length]!, values: histogram(result.results.flatMap((r) => r.ann.map((x) => x.score)), bins, 0, 1) })
    const exhaustive = histogram(result.results.flatMap((r) => r.exhaustive.map((x) => x.score)), bins, 0, 1)
    // Evaluations over the same profiles and origins share their exhaustive lists: draw them once.
    const key = exhaustive.join(",")
    if (seen.includes(key)) return
    seen.push(key)
    series.push({ name: i === 0 ? "exhaustive" : `${label} exhaustive`, color: COLORS[(2 * i + 1) % COLORS.length]!, values: exhaustive })
  })
  return barChart("chart-scores", "Top-match score distribution (ANN vs exhaustive)", labels, series)
}

export const clusterChart = (m: ReportModel): string => {
  const sizes = m.clusters.sizes
  const bins = Math.min(30, Math.max(1, m.clusters.max - m.clusters.min + 1))
  const lo = m.clusters.min
  const hi = m.clusters.max + 1
  const labels = Array.from({ length: bins }, (_, i) => String(Math.round(lo + ((hi - lo) * i) / bins)))
  return barChart("chart-clusters", `Cluster sizes (k = ${m.clusters.k}): clusters per size`, labels, [
    { name: "clusters", color: COLORS[2]!, values: histogram(sizes, bins, lo, hi) }
  ])
}

export const ageChart = (m: ReportModel): string =>
  barChart("chart-age", "Age histogram", m.ageHistogram.map((a) => a.label), [
    { name: "profiles", color: COLORS[0]!, values: m.ageHistogram.map((a) => a.count) }
  ])

const htmlTable = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`

/** The page body; the template supplies the document, styles and `{{title}}` / `{{content}}` slots. */
export const renderHtmlContent = (m: ReportModel): string => {
  const parts: Array<string> = []
  parts.push(`<p>${escapeHtml(`${m.profiles.rows} profiles, seed ${m.profiles.seed}, locale ${m.profiles.locale}`)}</p>`)
  parts.push(`<section><h2>Profiles</h2>${ageChart(m)}<h3>Numeric fields</h3>${htmlTable(DESCRIBE_HEADER, describeRows(m))}`)
  parts.push('<h3>Categorical fields</h3><div class="counts">')
  for (const c of m.counts) {
    parts.push(`<div><h4>${escapeHtml(`${c.name} (${c.distinct} distinct)`)}</h4>${htmlTable(["value", "count"], c.values.map((v) => [v.value, String(v.count)]))}</div>`)
  }
  parts.push(`</div></section><section><h2>Sample profile</h2>${htmlTable(["field", "value"], sampleRows(m))}</section>`)
  const cs = m.clusters
  parts.push(
    `<section><h2>Clusters</h2>${clusterChart(m)}${htmlTable(["statistic", "value"], [
      ["k", String(cs.k)],
      ["rows", String(cs.rows)],
      ["size min / median / mean / max", `${cs.min} / ${fmt(cs.median)} / ${fmt(cs.mean)} / ${cs.max}`],
      ["empty clusters", String(cs.empty)],
      ...cs.metrics.map(([k, v]) => [k, fmt(v, 4)])
    ])}</section>`
  )
  parts.push(`<section><h2>Match evaluation</h2>${scoreChart(m)}${htmlTable(MATCH_HEADER, matchRows(m))}</section>`)
  parts.push(`<section><h2>Paths</h2>${htmlTable(["what", "path"], m.paths.map(([a, b]) => [a, b]))}</section>`)
  return parts.join("\n")
}

/** Fills the template's `{{title}}` and `{{content}}` slots (title escaped, content already HTML). */
export const renderHtml = (template: string, m: ReportModel): string =>
  template.replaceAll("{{title}}", () => escapeHtml(m.title)).replace("{{content}}", () => renderHtmlContent(m))
