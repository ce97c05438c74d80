/**
 * The one-line texts both renderers print: a stage's start, its progress, a message, its end.
 */
import type { ProgressUpdate } from "../../runtime/services/progress.js"
import { formatCount, formatDuration, formatPercent } from "./format.js"
import { formatRate, type StageState } from "./stage-state.js"

type Outcome = Extract<ProgressUpdate, { _tag: "StageEnded" }>["outcome"]

export const startLine = (state: StageState): string =>
  state.attempt > 1 ? `[${state.stage}] started (attempt ${state.attempt})` : `[${state.stage}] started`

/** `[embeddings] 40,000/100,000 rows (40%) 52,310 rows/s`; without a total: `[s] 40,000 items`. */
export const progressLine = (state: StageState, now: number): string => {
  const counts =
    state.total === null
      ? `${formatCount(state.done)} ${state.unit}`
      : `${formatCount(state.done)}/${formatCount(state.total)} ${state.unit} (${formatPercent(state.done, state.total)})`
  const rate = formatRate(state, now)
  return `[${state.stage}] ${counts}${rate === null ? "" : ` ${rate}`}`
}

export const messageLine = (stage: string, message: string): string => `[${stage}] ${message}`

/**
 * `[embeddings] succeeded in 12.3s (100,000 rows, 8,130 rows/s)`. A stage that never started here
 * (reused, skipped) has no time to show: `[report] reused`.
 */
export const endLine = (stage: string, outcome: Outcome, state: StageState | undefined, now: number): string => {
  if (state === undefined) return `[${stage}] ${outcome}`
  const details: Array<string> = []
  if (state.done > 0) details.push(`${formatCount(state.done)} ${state.unit}`)
  const rate = formatRate(state, now)
  if (rate !== null) details.push(rate)
  const suffix = details.length === 0 ? "" : ` (${details.join(", ")})`
  return `[${stage}] ${outcome} in ${formatDuration(now - state.startedAt)}${suffix}`
}
