/**
 * The lines of the terminal renderer's live block: one bar per active stage. Pure text, no
 * escape codes; every line is cut to the terminal's width, because a line that wraps takes two
 * rows and the redraw (which moves the cursor up one row per line) would then leave garbage.
 */
import { formatCount, formatDuration, formatPercent } from "./format.js"
import { formatRate, type StageState } from "./stage-state.js"

export const BAR_WIDTH = 24
const NAME_WIDTH_MAX = 24

const bar = (done: number, total: number | null): string => {
  if (total === null || total <= 0) return "░".repeat(BAR_WIDTH)
  const filled = Math.min(BAR_WIDTH, Math.floor((done / total) * BAR_WIDTH))
  return "█".repeat(filled) + "░".repeat(BAR_WIDTH - filled)
}

/** Cuts `line` to `width` characters, marking the cut with `…`. */
export const fit = (line: string, width: number): string =>
  line.length <= width ? line : width <= 1 ? line.slice(0, Math.max(0, width)) : `${line.slice(0, width - 1)}…`

/**
 * `clusters  ██████████░░░░░░░░░░░░░░  40% 40,000/100,000 rows  52,310 rows/s  12.3s`, one per
 * stage, at most `maxLines` lines (the last says how many more are hidden).
 */
export const blockLines = (
  stages: ReadonlyArray<StageState>,
  now: number,
  columns: number,
  maxLines: number
): Array<string> => {
  const nameWidth = Math.min(NAME_WIDTH_MAX, Math.max(0, ...stages.map((s) => s.stage.length)))
  const width = Math.max(1, columns - 1) // never write into the last column: some terminals wrap there
  const lines = stages.map((s) => {
    const counts =
      s.total === null
        ? `${formatCount(s.done)} ${s.unit}`
        : `${formatPercent(s.done, s.total).padStart(4)} ${formatCount(s.done)}/${formatCount(s.total)} ${s.unit}`
    const rate = formatRate(s, now)
    const parts = [fit(s.stage, nameWidth).padEnd(nameWidth), bar(s.done, s.total), counts]
    if (rate !== null) parts.push(rate)
    parts.push(formatDuration(now - s.startedAt))
    return fit(parts.join("  "), width)
  })
  const limit = Math.max(1, maxLines)
  if (lines.length <= limit) return lines
  const shown = lines.slice(0, limit - 1)
  shown.push(fit(`… and ${lines.length - shown.length} more stages`, width))
  return shown
}
