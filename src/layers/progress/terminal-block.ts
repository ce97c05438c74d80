/**
 * The lines of the terminal renderer's live block: one line per active stage (a bar for a stage
 * with a total, a spinner for one without) and, once the run said how many stages it has, an
 * overall line. Lines are built as styled segments and cut to the terminal's width on their
 * visible text, before any colour code: a line that wraps takes two rows and the redraw (which
 * moves the cursor up one row per line) would then leave garbage.
 */
import { painter, type Painter, type Style } from "./colour.js"
import { formatCount, formatDuration, formatPercent } from "./format.js"
import { etaMs, formatRate, type StageState } from "./stage-state.js"

export const BAR_WIDTH = 24
const NAME_WIDTH_MAX = 24
/** Braille spinner frames; one per redraw interval (100 ms). */
export const SPINNER_FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] as const
const SPINNER_FRAME_MS = 100
/** A bar whose count has not moved for this long also gets a spinner (e.g. FAISS training before its first step). */
export const QUIET_MS = 1000

/** Whether a stage's line has a moving spinner (and the block must be redrawn at every tick). */
export const isSpinning = (s: StageState, now: number): boolean =>
  s.total === null || s.total <= 0 || now - s.movedAt >= QUIET_MS

const spinnerFrame = (now: number): string => SPINNER_FRAMES[Math.floor(now / SPINNER_FRAME_MS) % SPINNER_FRAMES.length]!

/** A piece of a line and its style (none: the terminal's default). */
type Segment = readonly [text: string, style: Style | null]

/** Cuts `line` to `width` characters, marking the cut with `…`. */
export const fit = (line: string, width: number): string =>
  line.length <= width ? line : width <= 1 ? line.slice(0, Math.max(0, width)) : `${line.slice(0, width - 1)}…`

/** Joins segments, cut to `width` visible characters exactly as `fit` cuts their plain text, then painted. */
const render = (segments: ReadonlyArray<Segment>, width: number, paint: Painter): string => {
  const full = segments.map(([text]) => text).join("")
  const cut = full.length > width
  let keep = !cut ? full.length : width <= 1 ? Math.max(0, width) : width - 1
  let out = ""
  for (const [text, style] of segments) {
    if (keep <= 0) break
    const piece = text.slice(0, keep)
    out += style === null ? piece : paint(style, piece)
    keep -= piece.length
  }
  return cut && width > 1 ? `${out}…` : out
}

/** Counts of the whole run, for the overall line. */
export interface RunCounts {
  /** Stages the run reports on; null until it said. */
  readonly total: number | null
  readonly ended: number
  readonly failed: number
  readonly startedAt: number
}

export interface BlockOptions {
  /** Colour codes in the lines (the caller checked that the terminal shows them). */
  readonly colour?: boolean
  readonly run?: RunCounts
}

const stageSegments = (s: StageState, now: number, nameWidth: number): Array<Segment> => {
  const name: Segment = [`${fit(s.stage, nameWidth).padEnd(nameWidth)}  `, "bold"]
  const elapsed: Segment = [formatDuration(now - s.startedAt), "dim"]
  const rate = formatRate(s, now)
  if (s.total === null || s.total <= 0) {
    // Nothing to measure against (e.g. a FAISS training step): a moving spinner says it is alive.
    const frame = spinnerFrame(now)
    const counts = s.done > 0 ? `${formatCount(s.done)} ${s.unit}` : "working"
    return [name, [frame, "cyan"], [` ${counts}  `, null], ...(rate === null ? [] : [[`${rate}  `, null] as Segment]), elapsed]
  }
  const filled = Math.min(BAR_WIDTH, Math.floor((s.done / s.total) * BAR_WIDTH))
  const eta = etaMs(s, now)
  return [
    name,
    // A fixed column: blank while the count moves, a spinner once it has been quiet a while.
    [isSpinning(s, now) ? spinnerFrame(now) : " ", "cyan"],
    [" ", null],
    ["█".repeat(filled), "green"],
    ["░".repeat(BAR_WIDTH - filled), "dim"],
    [`  ${formatPercent(s.done, s.total).padStart(4)} ${formatCount(s.done)}/${formatCount(s.total)} ${s.unit}  `, null],
    ...(rate === null ? [] : [[`${rate}  `, null] as Segment]),
    elapsed,
    ...(eta === null ? [] : [[`  ${formatDuration(eta)} left`, "yellow"] as Segment])
  ]
}

/** `3/10 stages done, 2 running, 1 failed, 1m05s elapsed` */
const overallSegments = (run: RunCounts, running: number, now: number): Array<Segment> => {
  const parts: Array<Segment> = [[`${run.ended}/${run.total ?? "?"} stages done`, "bold"], [`, ${running} running`, null]]
  if (run.failed > 0) parts.push([`, ${run.failed} failed`, "red"])
  parts.push([`, ${formatDuration(now - run.startedAt)} elapsed`, "dim"])
  return parts
}

/**
 * `clusters    ██████████░░░░░░░░░░░░░░   40% 40,000/100,000 rows  52,310 rows/s  12.3s  18.4s left`,
 * one per stage, then the overall line when `run` knows the total, in at most `maxLines` lines
 * (the last stage line says how many more are hidden).
 */
export const blockLines = (
  stages: ReadonlyArray<StageState>,
  now: number,
  columns: number,
  maxLines: number,
  options: BlockOptions = {}
): Array<string> => {
  const paint = painter(options.colour ?? false)
  const run = options.run !== undefined && options.run.total !== null ? options.run : null
  const nameWidth = Math.min(NAME_WIDTH_MAX, Math.max(0, ...stages.map((s) => s.stage.length)))
  const width = Math.max(1, columns - 1) // never write into the last column: some terminals wrap there
  const overall = run === null ? [] : [render(overallSegments(run, stages.length, now), width, paint)]
  const limit = Math.max(1, maxLines - overall.length)
  const lines = stages.map((s) => render(stageSegments(s, now, nameWidth), width, paint))
  if (lines.length <= limit) return [...lines, ...overall].slice(0, Math.max(1, maxLines))
  const shown = lines.slice(0, limit - 1)
  shown.push(render([[`… and ${lines.length - shown.length} more stages`, "dim"]], width, paint))
  return [...shown, ...overall]
}
