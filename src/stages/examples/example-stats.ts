/** `example-stats` and `example-histogram`: small summaries of a number series (runtime examples). */
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { ArtifactStore } from "../../runtime/services/artifact-store.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"
import { JsonSummary, NumberSeries } from "./artifacts.js"
import { readSeries } from "./example-numbers.js"

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
      const store = yield* ArtifactStore
      const values = yield* readSeries(inputs.series.path)
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
      const path = join(workDir, "stats.json")
      const digest = yield* store.writeFile(path, JSON.stringify(stats, null, 2) + "\n")
      return { kind: "json-summary" as const, path, digest }
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
      const store = yield* ArtifactStore
      const values = yield* readSeries(inputs.series.path)
      const counts = new Array<number>(config.bins).fill(0)
      for (const v of values) counts[Math.min(config.bins - 1, Math.floor(v * config.bins))]! += 1
      const path = join(workDir, "histogram.json")
      const digest = yield* store.writeFile(path, JSON.stringify({ bins: config.bins, counts }) + "\n")
      return { kind: "json-summary" as const, path, digest }
    })
})
