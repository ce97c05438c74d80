/**
 * Argument checks of the reference backend, failing with the same reasons as the native addon
 * (dimension, not-finite, invalid-argument) so tests of misuse hold for both.
 */
import { Effect } from "effect"
import { FaissError } from "../errors.js"

/** Number of rows of `x` for dimension `d`, or a `dimension` failure. */
export const rowsOf = (op: string, x: Float32Array, d: number): Effect.Effect<number, FaissError> =>
  x.length % d === 0
    ? Effect.succeed(x.length / d)
    : Effect.fail(
        new FaissError({
          reason: "dimension",
          op,
          message: `${op}: x has ${x.length} floats, not a multiple of the dimension ${d}`
        })
      )

export const requireFinite = (op: string, x: Float32Array, what = "x"): Effect.Effect<void, FaissError> => {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) {
      return Effect.fail(
        new FaissError({ reason: "not-finite", op, message: `${op}: ${what} contains NaN or Inf (element ${i})` })
      )
    }
  }
  return Effect.void
}

export const requireInt = (
  op: string,
  name: string,
  value: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER
): Effect.Effect<number, FaissError> =>
  Number.isInteger(value) && value >= min && value <= max
    ? Effect.succeed(value)
    : Effect.fail(
        new FaissError({
          reason: "invalid-argument",
          op,
          message: `${op}: ${name} must be an integer in [${min}, ${max}], got ${value}`
        })
      )
