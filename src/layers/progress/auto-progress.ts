/**
 * Picking a renderer: bars only where a person watches a terminal. CI logs keep escape codes
 * literally (and often report a TTY), so `CI` set to anything but `false`/`0` means plain lines.
 */
import { Layer } from "effect"
import type { Progress } from "../../runtime/services/progress.js"
import { supportsColour } from "./colour.js"
import { ProgressPlain } from "./plain-progress.js"
import { ProgressTerminal } from "./terminal-progress.js"
import type { ProgressWriter } from "./writer.js"

export type ProgressRendererKind = "terminal" | "plain"

export const chooseProgressRenderer = (
  isTTY: boolean,
  env: Readonly<Record<string, string | undefined>>
): ProgressRendererKind => {
  const ci = env["CI"]
  const inCi = ci !== undefined && ci !== "" && ci !== "false" && ci !== "0"
  return isTTY && !inCi ? "terminal" : "plain"
}

export interface AutoProgressOptions {
  readonly write?: ProgressWriter
  /** Defaults to `process.stderr.isTTY`. */
  readonly isTTY?: boolean
  /** Defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
}

export const ProgressAuto = {
  /** Terminal bars on an interactive standard error outside CI, plain lines otherwise. */
  layer: (options: AutoProgressOptions = {}): Layer.Layer<Progress> =>
    Layer.suspend(() => {
      const isTTY = options.isTTY ?? process.stderr.isTTY === true
      const env = options.env ?? process.env
      const kind = chooseProgressRenderer(isTTY, env)
      const rendererOptions = options.write === undefined ? {} : { write: options.write }
      // Plain lines never have colour: they go to logs and pipes.
      return kind === "terminal"
        ? ProgressTerminal.layer({ ...rendererOptions, colour: supportsColour(isTTY, env) })
        : ProgressPlain.layer(rendererOptions)
    })
} as const
