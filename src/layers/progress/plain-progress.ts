/**
 * Plain progress: whole lines only, for logs, CI and pipes. A stage prints when it starts and
 * ends, and in between at most one progress line per 10 % of its total or per 2 s, whichever
 * comes first, so a long run's log stays readable and a fast stage prints at most ~10 lines.
 */
import { Clock, Effect, Layer } from "effect"
import { Progress, type ProgressService } from "../../runtime/services/progress.js"
import { endLine, messageLine, progressLine, startLine } from "./lines.js"
import { applyUpdate, type StageState } from "./stage-state.js"
import { stderrWriter, type ProgressWriter } from "./writer.js"

/** Longest quiet gap between progress lines of a stage that is advancing. */
export const PLAIN_INTERVAL_MS = 2000

export interface PlainProgressOptions {
  /** Receives every line, newline included; standard error by default. */
  readonly write?: ProgressWriter
}

interface PrintState {
  lastAt: number
  /** Tenths of the total reached at the last line printed. */
  lastTenth: number
}

export const makePlainProgress = (options: PlainProgressOptions = {}): ProgressService => {
  const write = options.write ?? stderrWriter
  const stages = new Map<string, StageState>()
  const printed = new Map<string, PrintState>()
  const line = (text: string) => write(`${text}\n`)

  return {
    update: (update) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        if (update._tag === "RunStarted") return
        if (update._tag === "StageEnded") {
          line(endLine(update, stages.get(update.stage), now))
          stages.delete(update.stage)
          printed.delete(update.stage)
          return
        }
        const state = applyUpdate(stages, update, now)
        switch (update._tag) {
          case "StageStarted":
            printed.set(update.stage, { lastAt: now, lastTenth: 0 })
            line(startLine(state))
            break
          case "StageMessage":
            line(messageLine(update.stage, update.message))
            break
          case "StageAdvanced": {
            const last = printed.get(update.stage) ?? { lastAt: state.startedAt, lastTenth: 0 }
            const tenth = state.total !== null && state.total > 0 ? Math.floor((state.done * 10) / state.total) : 0
            if (tenth > last.lastTenth || now - last.lastAt >= PLAIN_INTERVAL_MS) {
              printed.set(update.stage, { lastAt: now, lastTenth: Math.max(tenth, last.lastTenth) })
              line(progressLine(state, now))
            }
            break
          }
          case "StageTotal":
            break
        }
      }),
    close: Effect.void
  }
}

export const ProgressPlain = {
  layer: (options: PlainProgressOptions = {}): Layer.Layer<Progress> =>
    Layer.sync(Progress, () => makePlainProgress(options))
} as const
