/**
 * Durations in pipeline files (`timeout:`, `retry.base`, `retry.max`): a number of milliseconds, or
 * a string with a unit (`250ms`, `2s`, `1.5m`, `1h`). Decoded to milliseconds.
 */
import { ParseResult, Schema } from "effect"

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/

const EXPECTED = "a duration: milliseconds as a number, or a string like 250ms, 2s, 1.5m, 1h"

/** Milliseconds of a duration value, or `undefined` when it is not one. */
export const parseDuration = (value: unknown): number | undefined => {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined
  if (typeof value !== "string") return undefined
  const match = DURATION.exec(value)
  if (match === null) return undefined
  const amount = Number(match[1])
  const unit = UNIT_MS[match[2] ?? ""]
  return unit === undefined ? undefined : Math.round(amount * unit)
}

/** Schema: a duration as written in a pipeline file, decoded to milliseconds. */
export const DurationMs = Schema.transformOrFail(Schema.Union(Schema.Number, Schema.String), Schema.Number, {
  strict: true,
  decode: (input, _options, ast) => {
    const ms = parseDuration(input)
    return ms === undefined
      ? ParseResult.fail(new ParseResult.Type(ast, input, `expected ${EXPECTED}, found ${JSON.stringify(input)}`))
      : ParseResult.succeed(ms)
  },
  encode: (ms) => ParseResult.succeed(ms)
}).annotations({ title: "duration" })
