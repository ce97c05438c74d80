/**
 * What a renderer knows about one stage: when it started, how much work there is, how much is
 * done, and enough to compute its throughput.
 *
 * Throughput is measured from the first `StageAdvanced`, not from the start: a resumed stage
 * usually reports its already-committed chunks in one jump right away, which would otherwise show
 * as an absurd rate.
 */
import type { ProgressUpdate } from "../../runtime/services/progress.js"
import { formatCount } from "./format.js"

export interface StageState {
  readonly stage: string
  attempt: number
  startedAt: number
  total: number | null
  unit: string
  done: number
  /** Time and count at the first advance: the base of the rate. */
  rateBase: { readonly at: number; readonly done: number } | null
  /** When the count last moved (or the stage started): a stage quiet for long gets a spinner. */
  movedAt: number
}

export const DEFAULT_UNIT = "items"

export const newStageState = (stage: string, now: number): StageState => ({
  stage,
  attempt: 1,
  startedAt: now,
  total: null,
  unit: DEFAULT_UNIT,
  done: 0,
  rateBase: null,
  movedAt: now
})

/** Units per second since the first advance, or null before there is a time span to divide by. */
export const rateOf = (state: StageState, now: number): number | null => {
  // No advance since the base (e.g. a stage that reports all its work at once): no rate to show.
  if (state.rateBase === null || now <= state.rateBase.at || state.done <= state.rateBase.done) return null
  return ((state.done - state.rateBase.done) * 1000) / (now - state.rateBase.at)
}

export const formatRate = (state: StageState, now: number): string | null => {
  const rate = rateOf(state, now)
  return rate === null ? null : `${formatCount(rate)} ${state.unit}/s`
}

/** Below this, an ETA says nothing a person can act on ("0.0s left"): not shown. */
const ETA_MIN_MS = 1000

/**
 * Time left at the current rate, for a stage with a total that is not done yet; null when there
 * is no total, no rate to extrapolate from, or under a second left.
 */
export const etaMs = (state: StageState, now: number): number | null => {
  const rate = rateOf(state, now)
  if (state.total === null || rate === null || rate <= 0 || state.done >= state.total) return null
  const left = ((state.total - state.done) * 1000) / rate
  return left < ETA_MIN_MS ? null : left
}

/**
 * Applies a non-ending update to the stage's state (creating it if a stage reports before its
 * start). Returns the state.
 */
export const applyUpdate = (
  stages: Map<string, StageState>,
  update: Exclude<ProgressUpdate, { readonly _tag: "RunStarted" }>,
  now: number
): StageState => {
  let state = stages.get(update.stage)
  if (state === undefined) {
    state = newStageState(update.stage, now)
    stages.set(update.stage, state)
  }
  switch (update._tag) {
    case "StageStarted":
      // A retry starts over: fresh clock and counts.
      Object.assign(state, newStageState(update.stage, now), { attempt: update.attempt })
      break
    case "StageTotal":
      state.total = update.total
      state.unit = update.unit
      break
    case "StageAdvanced":
      if (state.rateBase === null) state.rateBase = { at: now, done: update.done }
      if (update.done !== state.done) state.movedAt = now
      state.done = update.done
      break
    case "StageMessage":
    case "StageEnded":
      break
  }
  return state
}
