/**
 * `example-numbers`: writes `count` pseudo-random float32 values, chunk by chunk, each chunk seeded
 * from (seed, chunk index) and checkpointed. It exists to show (and test) the runtime: progress,
 * resume from the last committed chunk after a kill, and byte-identical output either way.
 */
import { Effect, Schema } from "effect"
import { NumberSeries, writeNumberSeries, writeSeriesChunk } from "../../artifacts/examples/number-series.js"
import { forChunk } from "../../domain/random/index.js"
import { Checkpoint } from "../../runtime/services/checkpoint.js"
import { StageProgress } from "../../runtime/services/progress.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"

const PositiveInt = Schema.Int.pipe(Schema.positive())
const NonNegativeInt = Schema.Int.pipe(Schema.nonNegative())

/** A chunk's values depend only on (seed, chunk): the project's per-chunk PRNG. */
const chunkValues = (seed: number, chunk: number, length: number): Float32Array => {
  const random = forChunk(seed, chunk)
  const out = new Float32Array(length)
  for (let i = 0; i < length; i++) out[i] = random.float()
  return out
}

export const exampleNumbers = defineStageKind({
  name: "example-numbers",
  version: 1,
  description: "Writes count seeded random float32 values in checkpointed chunks (a runtime example).",
  config: Schema.Struct({
    count: field(PositiveInt, 100_000, "how many values to write"),
    chunkSize: field(PositiveInt, 10_000, "values per checkpointed chunk"),
    seed: field(Schema.Int, 42, "random seed; output depends only on it, count and chunkSize"),
    delayMs: field(NonNegativeInt, 0, "pause after each chunk, to watch progress or test resume")
  }),
  inputs: {},
  output: NumberSeries,
  run: ({ config, workDir }) =>
    Effect.gen(function* () {
      const checkpoint = yield* Checkpoint
      const progress = yield* StageProgress
      const chunks = Math.ceil(config.count / config.chunkSize)
      const done = yield* checkpoint.committed
      yield* progress.setTotal(config.count, "values")
      for (let chunk = 0; chunk < chunks; chunk++) {
        const length = Math.min(config.chunkSize, config.count - chunk * config.chunkSize)
        if (!done.has(chunk)) {
          const values = chunkValues(config.seed, chunk, length)
          const digest = yield* writeSeriesChunk(workDir, chunk, values)
          yield* checkpoint.commit({ chunk, rows: length, digest })
          if (config.delayMs > 0) yield* Effect.sleep(config.delayMs)
        }
        yield* progress.advance(length)
      }
      // One file from the chunks; it is identical however often we resumed.
      return yield* writeNumberSeries(workDir, config.count, config.chunkSize)
    })
})
