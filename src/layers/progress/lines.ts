/**
 * The one-line texts both renderers print: a stage's start, its progress, a message, its end.
 */
import type { ProgressUpdate } from "../../runtime/services/progress.js"
import { formatCount, formatDuration, formatPercent } from "./format.js"
import { etaMs, formatRate, type StageState } from "./stage-state.js"

type Ended = Extract<ProgressUpdate, { _tag: "StageEnded" }>

export const startLine = (state: StageState): string =>
  state.attempt > 1 ? `[${state.stage}] started (attempt ${state.attempt})` : `[${state.stage}] started`

/**
 * `[embeddings] 40,000/100,000 rows (40%) 52,310 rows/s, 1.1s left`; without a total:
 * `[s] 40,000 items`.
 */
export const progressLine = (state: StageState, now: number): string => {
  const counts =
    state.total === null
      ? `${formatCount(state.done)} ${state.unit}`
      : `${formatCount(state.done)}/${formatCount(state.total)} ${state.unit} (${formatPercent(state.done, state.total)})`
  const rate = formatRate(state, now)
  const eta = etaMs(state, now)
  return `[${state.stage}] ${counts}${rate === null ? "" : ` ${rate}`}${eta === null ? "" : `, ${formatDuration(eta)} left`}`
}

export const messageLine = (stage: string, message: string): string => `[${stage}] ${message}`

/**
 * `[embeddings] succeeded in 12.3s (100,000 rows, 8,130 rows/s)`. A stage that never started here
 * (reused, skipped) has no time to show: `[report] reused`.
 *
 * The rate is the scheduler's figure when the update carries one (rows processed in this run over
 * the stage's time: the final table's rows/s), so a stage has one throughput, not two; a resumed
 * stage says how many of its rows this run made.
 */
export const endLine = (update: Ended, state: StageState | undefined, now: number): string => {
  const { stage, outcome, throughput } = update
  if (state === undefined) return `[${stage}] ${outcome}`
  const details: Array<string> = []
  if (state.done > 0) details.push(`${formatCount(state.done)} ${state.unit}`)
  if (throughput !== undefined) {
    if (throughput.resumedRows > 0) details.push(`${formatCount(throughput.resumedRows)} resumed`)
    // The stage's own unit when its progress counted the same rows (profiles, values), else "rows".
    const unit = throughput.rows === state.done ? state.unit : "rows"
    details.push(`${formatCount(((throughput.rows - throughput.resumedRows) * 1000) / throughput.ms)} ${unit}/s`)
  } else {
    const rate = formatRate(state, now)
    if (rate !== null) details.push(rate)
  }
  const suffix = details.length === 0 ? "" : ` (${details.join(", ")})`
  return `[${stage}] ${outcome} in ${formatDuration(throughput?.ms ?? now - state.startedAt)}${suffix}`
}
