/**
 * Stage kinds used only by the spec tests: just enough declared shape (config schemas, inputs,
 * outputs) to exercise validation and wiring. They are never run.
 */
import { Effect, Schema } from "effect"
import { defineArtifactKind } from "../../../src/runtime/artifact.js"
import { makeRegistry } from "../../../src/runtime/registry.js"
import { defineStageKind, field, required } from "../../../src/runtime/stage-kind.js"

export const NumberSeries = defineArtifactKind("number-series", "a list of numbers on disk", {
  path: Schema.String,
  count: Schema.Number
})

export const ScalarValue = defineArtifactKind("scalar", "one number", { value: Schema.Number })

export const TextBlob = defineArtifactKind("text", "a text file", { path: Schema.String })

const notRun = Effect.die("not run in spec tests")

/** `numbers`: produces a number series; `count` is required, `seed` defaults to 42. */
export const numbersKind = defineStageKind({
  name: "numbers",
  version: 1,
  description: "generates numbers",
  config: Schema.Struct({
    count: required(Schema.Int.pipe(Schema.positive()), "how many numbers"),
    seed: field(Schema.Int, 42, "random seed"),
    mode: field(Schema.Literal("uniform", "normal"), "uniform", "distribution")
  }),
  inputs: {},
  output: NumberSeries,
  run: () => notRun
})

/** `sum`: consumes a number series (input `series`), produces a scalar. */
export const sumKind = defineStageKind({
  name: "sum",
  version: 1,
  description: "adds numbers up",
  config: Schema.Struct({ scale: field(Schema.Number, 1, "multiplier") }),
  inputs: { series: { artifact: NumberSeries, description: "numbers to add" } },
  output: ScalarValue,
  run: () => notRun
})

/** `describe`: produces text, so wiring it to `sum.series` is a miswiring. */
export const describeKind = defineStageKind({
  name: "describe",
  version: 1,
  description: "writes a text",
  config: Schema.Struct({ title: field(Schema.String, "untitled", "heading") }),
  inputs: {},
  output: TextBlob,
  run: () => notRun
})

export const testRegistry = makeRegistry<unknown>([numbersKind, sumKind, describeKind])

/** Layer settings schemas for the `layers` option tests. */
export const testLayers: Readonly<Record<string, Schema.Schema<unknown, unknown>>> = {
  store: Schema.Struct({ dir: field(Schema.String, "out/default", "output directory") }) as unknown as Schema.Schema<unknown, unknown>,
  workers: Schema.Struct({ size: field(Schema.Int.pipe(Schema.positive()), 2, "threads") }) as unknown as Schema.Schema<unknown, unknown>
}
