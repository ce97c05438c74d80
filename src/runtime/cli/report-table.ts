/** The final table of a run: each stage's outcome, attempts, time and throughput. */
import type { PipelineSpec } from "../spec/pipeline-spec.js"
import type { RunReport } from "../run/stage-report.js"
import { formatCount, formatDuration, formatTable } from "./table.js"

/** Peak resident memory of this process so far (worker threads included: they share it). */
const peakMemory = (): string => `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`

export const formatReport = (report: RunReport, spec: PipelineSpec): string => {
  const rows = report.stages.map((s) => [
    s.id,
    s.kind,
    s.outcome,
    String(s.attempts),
    s.outcome === "reused" || s.outcome === "not-selected" || s.attempts === 0 ? "-" : formatDuration(s.durationMs),
    s.rows === null ? "-" : formatCount(s.rows),
    s.rows !== null && s.durationMs > 0 && s.outcome === "succeeded" ? `${formatCount((s.rows * 1000) / s.durationMs)}/s` : "-",
    s.detail.split("\n")[0]!.slice(0, 100)
  ])
  const table = formatTable(
    ["stage", "kind", "outcome", "attempts", "time", "rows", "rows/s", "detail"],
    rows,
    new Set([3, 4, 5, 6])
  )
  return [
    "",
    table,
    "",
    `run ${report.runId} ${report.status} in ${formatDuration(report.durationMs)}; peak memory ${peakMemory()}; output ${spec.outputDir}; events ${report.eventLogPath}`
  ].join("\n")
}
