/** `example-stats` and `example-histogram`: small summaries of a number series (runtime examples). */
import { Effect, Schema } from "effect"
import { JsonSummary, writeJsonSummary } from "../../artifacts/examples/json-summary.js"
import { NumberSeries, readNumberSeries } from "../../artifacts/examples/number-series.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"

export const exampleStats = defineStageKind({
  name: "example-stats",
  version: 1,
  description: "Count, mean, standard deviation, min and max of a number series (a runtime example).",
  config: Schema.Struct({
    digits: field(Schema.Int.pipe(Schema.between(0, 12)), 6, "decimal places kept in the figures")
  }),
  inputs: { series: { artifact: NumberSeries, description: "the values to summarise" } },
  output: JsonSummary,
  run: ({ config, inputs, workDir }) =>
    Effect.gen(function* () {
      const values = yield* readNumberSeries(inputs.series)
      let sum = 0
      let sumSq = 0
      let min = Number.POSITIVE_INFINITY
      let max = Number.NEGATIVE_INFINITY
      for (const v of values) {
        sum += v
        sumSq += v * v
        if (v < min) min = v
        if (v > max) max = v
      }
      const n = values.length
      const mean = sum / n
      const round = (x: number) => Number(x.toFixed(config.digits))
      const stats = { count: n, mean: round(mean), std: round(Math.sqrt(Math.max(0, sumSq / n - mean * mean))), min: round(min), max: round(max) }
      return yield* writeJsonSummary(workDir, "stats.json", stats, 2)
    })
})

export const exampleHistogram = defineStageKind({
  name: "example-histogram",
  version: 1,
  description: "Counts of a number series in equal-width bins over [0, 1) (a runtime example).",
  config: Schema.Struct({
    bins: field(Schema.Int.pipe(Schema.between(1, 1000)), 10, "number of equal-width bins")
  }),
  inputs: { series: { artifact: NumberSeries, description: "the values to count" } },
  output: JsonSummary,
  run: ({ config, inputs, workDir }) =>
    Effect.gen(function* () {
      const values = yield* readNumberSeries(inputs.series)
      const counts = new Array<number>(config.bins).fill(0)
      for (const v of values) counts[Math.min(config.bins - 1, Math.floor(v * config.bins))]! += 1
      return yield* writeJsonSummary(workDir, "histogram.json", { bins: config.bins, counts })
    })
})
