/**
 * Colour for the terminal renderer and the CLI's summary: ANSI SGR codes when the output goes to a
 * terminal that shows them, none otherwise. `NO_COLOR` (any non-empty value, no-color.org) turns
 * colour off; `FORCE_COLOR` turns it on (`0` or `false`: off), even when not a TTY; `TERM=dumb`
 * means a terminal without escape codes. Plain output never has colour.
 */

/** Whether to colour output going to a stream that is (or is not) a TTY, under `env`. */
export const supportsColour = (isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean => {
  const noColour = env["NO_COLOR"]
  if (noColour !== undefined && noColour !== "") return false
  const force = env["FORCE_COLOR"]
  if (force !== undefined) return force !== "0" && force !== "false"
  return isTTY && env["TERM"] !== "dumb"
}

export type Style = "green" | "red" | "yellow" | "cyan" | "dim" | "bold"

/** One code per style (single parameters only, and one reset, so the output stays simple to parse). */
const CODES: Readonly<Record<Style, string>> = {
  green: "32",
  red: "31",
  yellow: "33",
  cyan: "36",
  dim: "2",
  bold: "1"
}

/** Applies styles to text: `paint("green", "ok")`. With colour off, the text unchanged. */
export type Painter = (style: Style, text: string) => string

export const painter = (colour: boolean): Painter =>
  colour ? (style, text) => (text === "" ? text : `\u001b[${CODES[style]}m${text}\u001b[0m`) : (_style, text) => text

/** The style of a stage outcome: green done, red failed, yellow for the rest. */
export const outcomeStyle = (outcome: string): Style =>
  outcome === "succeeded" ? "green" : outcome === "reused" ? "cyan" : outcome === "failed" || outcome === "timed-out" ? "red" : "yellow"
