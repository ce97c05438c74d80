/** `example-report`: joins two JSON summaries into a text report (a runtime example). */
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { StageError } from "../../runtime/errors.js"
import { ArtifactStore } from "../../runtime/services/artifact-store.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"
import { JsonSummary, TextReport } from "./artifacts.js"

const readText = (path: string) =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (cause) => new StageError({ message: `cannot read ${path}`, retryable: false, cause })
  })

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
      const store = yield* ArtifactStore
      const stats = yield* readText(inputs.stats.path)
      const histogram = yield* readText(inputs.histogram.path)
      const text = `${config.title}\n\nstats:\n${stats}\nhistogram:\n${histogram}`
      const path = join(workDir, "report.txt")
      const digest = yield* store.writeFile(path, text)
      return { kind: "text-report" as const, path, digest }
    })
})
