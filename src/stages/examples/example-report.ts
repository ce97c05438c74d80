/** `example-report`: joins two JSON summaries into a text report (a runtime example). */
import { Effect, Schema } from "effect"
import { JsonSummary, readJsonSummaryText } from "../../artifacts/examples/json-summary.js"
import { TextReport, writeTextReport } from "../../artifacts/examples/text-report.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"

export const exampleReport = defineStageKind({
  name: "example-report",
  version: 1,
  description: "Writes the stats and histogram summaries as one text report (a runtime example).",
  config: Schema.Struct({
    title: field(Schema.String, "Example report", "first line of the report")
  }),
  inputs: {
    stats: { artifact: JsonSummary, description: "output of example-stats" },
    histogram: { artifact: JsonSummary, description: "output of example-histogram" }
  },
  output: TextReport,
  run: ({ config, inputs, workDir }) =>
    Effect.gen(function* () {
      const stats = yield* readJsonSummaryText(inputs.stats)
      const histogram = yield* readJsonSummaryText(inputs.histogram)
      return yield* writeTextReport(workDir, `${config.title}\n\nstats:\n${stats}\nhistogram:\n${histogram}`)
    })
})
