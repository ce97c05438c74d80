/**
 * The end of a run: the table of each stage's outcome, attempts, time and throughput, then a
 * summary a person reads in five seconds: the outcome and time, where the report, the data and
 * the dashboard are, and for a failed or interrupted run the whole error and the command that
 * goes on from where it stopped.
 */
import { painter, supportsColour, type Style } from "../../layers/progress/colour.js"
import { rowsPerSecond, throughputOf, type RunReport, type StageReport } from "../run/stage-report.js"
import { formatCount, formatDuration, formatTable } from "./table.js"
import { redactPasswords } from "../text/redact.js"

/** Peak resident memory of this process so far (worker threads included: they share it). */
const peakMemory = (): string => `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`

/** How the run was started, for the commands the summary suggests. */
export interface RunInvocation {
  /** The command line after `pipeline` (verb included), as the ledger keeps it. */
  readonly argv: ReadonlyArray<string>
  /** The pipeline file as the user named it. */
  readonly file: string
  /** The load flags (`--set`, `--profile`, `--config-dir`) as arguments, for `serve` to find the same outputs. */
  readonly loadArgs: ReadonlyArray<string>
}

export interface SummaryOptions {
  /** Colour in the outcome word; standard output's terminal support by default. */
  readonly colour?: boolean
}

/** Quotes an argument for a POSIX shell when it needs it. */
export const shellQuote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)

/**
 * The command that goes on after an interruption or a fix: the same command line without
 * `--force` (a forced stage would throw away the chunks it committed).
 */
export const resumeCommand = (argv: ReadonlyArray<string>): string => {
  const kept: Array<string> = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === "--force") {
      i += 1
      continue
    }
    if (arg.startsWith("--force=")) continue
    kept.push(arg)
  }
  return `npx pipeline ${kept.map(shellQuote).join(" ")}`
}

const rateCell = (s: StageReport): string => {
  const t = throughputOf(s)
  return t === null ? "-" : `${formatCount(rowsPerSecond(t))}/s`
}

/** Details up to this length, on one line, fit in the table; longer errors are printed whole below it. */
const DETAIL_CELL_MAX = 80

const isBroken = (s: StageReport): boolean => s.outcome === "failed" || s.outcome === "timed-out"

const detailCell = (s: StageReport): string => {
  if (s.detail.length <= DETAIL_CELL_MAX && !s.detail.includes("\n")) return s.detail
  const first = s.detail.split("\n")[0]!
  return isBroken(s) ? `${first.slice(0, 60)}… (whole error below)` : `${first.slice(0, DETAIL_CELL_MAX - 1)}…`
}

const statusStyle = (status: string): Style => (status === "succeeded" ? "green" : status === "failed" ? "red" : "yellow")

/** The html-report artifacts of the run (made or reused), in stage order. */
const reportsOf = (report: RunReport): Array<{ readonly stage: string; readonly path: string; readonly textPath: string }> =>
  report.stages.flatMap((s) => {
    const a = s.artifact as { kind?: unknown; path?: unknown; textPath?: unknown } | null
    return a !== null && a.kind === "html-report" && typeof a.path === "string" && typeof a.textPath === "string"
      ? [{ stage: s.id, path: a.path, textPath: a.textPath }]
      : []
  })

const indent = (text: string, prefix: string): string =>
  text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n")

/** The lines after the table. */
export const formatSummary = (report: RunReport, run: RunInvocation, options: SummaryOptions = {}): string => {
  const paint = painter(options.colour ?? supportsColour(process.stdout.isTTY === true, process.env))
  const lines: Array<string> = []
  const counts = (outcome: StageReport["outcome"]) => report.stages.filter((s) => s.outcome === outcome).length
  const made = counts("succeeded")
  const reused = counts("reused")
  lines.push(
    `${paint("bold", `run ${report.runId}`)} ${paint(statusStyle(report.status), report.status)} in ${formatDuration(report.durationMs)}` +
      ` (${made} ran, ${reused} reused; peak memory ${peakMemory()})`
  )
  const label = (name: string) => `  ${(name === "" ? "" : `${name}:`).padEnd(11)}`
  for (const r of reportsOf(report)) {
    lines.push(`${label("report")}${r.path}`)
    lines.push(`${label("")}${r.textPath} (text)`)
  }
  lines.push(`${label("data")}${report.outputDir}`)
  const hasIndex = report.stages.some((s) => s.artifact?.kind === "ann-index")
  if (hasIndex && report.status === "succeeded") {
    lines.push(`${label("dashboard")}npx pipeline ${["serve", run.file, ...run.loadArgs].map(shellQuote).join(" ")}`)
  }
  lines.push(`${label("events")}${report.eventLogPath}`)

  const broken = report.stages.filter(isBroken)
  for (const s of broken) {
    lines.push("", paint("red", `stage ${s.id} ${s.outcome}:`), indent(s.detail, "  "))
  }
  const skipped = report.stages.filter((s) => s.outcome === "skipped").map((s) => s.id)
  if (skipped.length > 0) lines.push(`skipped (an upstream stage did not succeed): ${skipped.join(", ")}`)
  if (report.status === "interrupted") {
    const cut = report.stages.filter((s) => s.outcome === "interrupted")
    const running = cut.filter((s) => s.attempts > 0).map((s) => s.id)
    const waiting = cut.filter((s) => s.attempts === 0).map((s) => s.id)
    const what = [
      ...(running.length > 0 ? [`interrupted ${running.join(", ")}`] : []),
      ...(waiting.length > 0 ? [`not started ${waiting.join(", ")}`] : [])
    ].join("; ")
    lines.push(
      "",
      `${what}. To go on (finished stages are reused, committed chunks resumed):`,
      `  ${redactPasswords(resumeCommand(run.argv))}`
    )
  } else if (broken.length > 0) {
    lines.push("", `After a fix, rerun (finished stages are reused): ${redactPasswords(resumeCommand(run.argv))}`)
  }
  return lines.join("\n")
}

export const formatReport = (report: RunReport, run: RunInvocation, options: SummaryOptions = {}): string => {
  const rows = report.stages.map((s) => [
    s.id,
    s.kind,
    s.outcome,
    String(s.attempts),
    s.outcome === "reused" || s.outcome === "not-selected" || s.attempts === 0 ? "-" : formatDuration(s.durationMs),
    s.rows === null ? "-" : formatCount(s.rows),
    rateCell(s),
    detailCell(s)
  ])
  const table = formatTable(
    ["stage", "kind", "outcome", "attempts", "time", "rows", "rows/s", "detail"],
    rows,
    new Set([3, 4, 5, 6])
  )
  return ["", table, "", formatSummary(report, run, options)].join("\n")
}
