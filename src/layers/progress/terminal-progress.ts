/**
 * Terminal progress: a live block at the bottom of the terminal with one bar (or, for a stage
 * that reports no total, a spinner) per active stage and an overall line ("3/10 stages done, 2
 * running, 1m05s elapsed"), and whole lines (stage ends, messages) printed above it as they
 * happen. Colour when the terminal shows it (`NO_COLOR`, `FORCE_COLOR` respected).
 *
 * Every change is one `write` that moves the cursor to the block's first row, rewrites each line
 * in place (erase-line + text, never erase-then-wait), erases whatever is left below, and is
 * wrapped in the synchronized-output mode modern terminals use to paint a frame at once (others
 * ignore it). The block is redrawn at most every 100 ms; a background fiber picks up the last
 * changes and keeps the elapsed times moving. `close` (or the Layer's release) erases the block.
 */
import { Clock, Effect, Layer, Schedule } from "effect"
import { Progress, type ProgressService } from "../../runtime/services/progress.js"
import { outcomeStyle, painter, supportsColour } from "./colour.js"
import { endLine, messageLine } from "./lines.js"
import { applyUpdate, type StageState } from "./stage-state.js"
import { blockLines, isSpinning, type RunCounts } from "./terminal-block.js"
import { stderrWriter, type ProgressWriter } from "./writer.js"

/** Shortest gap between two redraws caused by progress (10 per second). */
export const REDRAW_INTERVAL_MS = 100
/** Redraw this often even without updates, so elapsed times keep moving. */
const IDLE_REDRAW_MS = 1000

const CSI = "\u001b["
const BEGIN_SYNC = `${CSI}?2026h`
const END_SYNC = `${CSI}?2026l`
const ERASE_LINE = `${CSI}2K`
const ERASE_BELOW = `${CSI}J`

export interface TerminalSize {
  readonly columns: number
  readonly rows: number
}

export interface TerminalProgressOptions {
  /** Receives the text and escape codes; standard error by default. */
  readonly write?: ProgressWriter
  /** The terminal's size, asked at each redraw (it can change); standard error's by default. */
  readonly size?: () => TerminalSize
  /** Colour codes in the output; by default when standard error is a terminal that shows them. */
  readonly colour?: boolean
}

/** A pseudo-terminal may report 0x0 (e.g. under `script` or some CI runners): use 80x24 then. */
const orDefault = (value: number | undefined, fallback: number): number =>
  value !== undefined && value > 0 ? value : fallback

const stderrSize = (): TerminalSize => ({
  columns: orDefault(process.stderr.columns, 80),
  rows: orDefault(process.stderr.rows, 24)
})

interface TerminalRenderer {
  readonly service: ProgressService
  /** Redraws if something changed since the last frame or the elapsed times are stale. */
  readonly tick: Effect.Effect<void>
}

export const makeTerminalRenderer = (options: TerminalProgressOptions = {}): TerminalRenderer => {
  const write = options.write ?? stderrWriter
  const size = options.size ?? stderrSize
  const colour = options.colour ?? supportsColour(process.stderr.isTTY === true, process.env)
  const paint = painter(colour)
  const stages = new Map<string, StageState>()
  let run: RunCounts = { total: null, ended: 0, failed: 0, startedAt: 0 }
  let drawnLines = 0
  let lastDrawAt = Number.NEGATIVE_INFINITY
  let dirty = false
  let closed = false

  /** One frame: lines printed above, then the block (or nothing, once closed). */
  const frame = (above: ReadonlyArray<string>, now: number): void => {
    const { columns, rows } = size()
    const block = closed ? [] : blockLines([...stages.values()], now, columns, Math.max(1, rows - 1), { colour, run })
    if (above.length === 0 && block.length === 0 && drawnLines === 0) return
    let out = BEGIN_SYNC + "\r"
    if (drawnLines > 0) out += `${CSI}${drawnLines}A`
    // A line printed above may be wider than the terminal and wrap onto the next row, which
    // erase-line would not have cleared: clear the old block whole first (inside the synchronized
    // frame, so nothing flickers).
    if (above.length > 0) out += ERASE_BELOW
    for (const line of [...above, ...block]) out += `${ERASE_LINE}${line}\n`
    out += ERASE_BELOW + END_SYNC
    write(out)
    drawnLines = block.length
    lastDrawAt = now
    dirty = false
  }

  const close = Effect.sync(() => {
    if (closed) return
    closed = true
    if (drawnLines > 0) write(`${BEGIN_SYNC}\r${CSI}${drawnLines}A${ERASE_BELOW}${END_SYNC}`)
    drawnLines = 0
  })

  const service: ProgressService = {
    update: (update) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        if (update._tag === "RunStarted") {
          run = { total: update.stages, ended: 0, failed: 0, startedAt: now }
          return
        }
        if (update._tag === "StageEnded") {
          const plain = endLine(update, stages.get(update.stage), now)
          // Colour the outcome word only: `[stage] succeeded in ...`.
          const at = plain.indexOf(update.outcome, update.stage.length + 2)
          const line = at < 0 ? plain : plain.slice(0, at) + paint(outcomeStyle(update.outcome), update.outcome) + plain.slice(at + update.outcome.length)
          stages.delete(update.stage)
          const failed = update.outcome === "failed" || update.outcome === "timed-out"
          run = { ...run, ended: run.ended + 1, failed: run.failed + (failed ? 1 : 0) }
          if (closed) write(`${line}\n`)
          else frame([line], now)
          return
        }
        applyUpdate(stages, update, now)
        if (update._tag === "StageMessage") {
          const line = messageLine(update.stage, update.message)
          if (closed) write(`${line}\n`)
          else frame([line], now)
          return
        }
        dirty = true
        if (!closed && now - lastDrawAt >= REDRAW_INTERVAL_MS) frame([], now)
      }),
    close
  }

  const tick = Effect.map(Clock.currentTimeMillis, (now) => {
    // A spinner moves at every tick; otherwise redraw when something changed or times are stale.
    const spinning = [...stages.values()].some((s) => isSpinning(s, now))
    if (!closed && (dirty || spinning || (stages.size > 0 && now - lastDrawAt >= IDLE_REDRAW_MS))) frame([], now)
  })

  return { service, tick }
}

export const ProgressTerminal = {
  /** Bars on a terminal; the redraw fiber lives, and the block is erased, with the Layer's scope. */
  layer: (options: TerminalProgressOptions = {}): Layer.Layer<Progress> =>
    Layer.scoped(
      Progress,
      Effect.gen(function* () {
        const renderer = makeTerminalRenderer(options)
        yield* Effect.addFinalizer(() => renderer.service.close)
        yield* renderer.tick.pipe(Effect.repeat(Schedule.spaced(REDRAW_INTERVAL_MS)), Effect.forkScoped)
        return renderer.service
      })
    )
} as const
