/**
 * Test-only stage kinds. They share a `ProbeLog` that records starts, ends and attempts, so tests
 * can assert on order, concurrency and retries. `source` has no inputs, `transform` one, `join`
 * two; each writes its token (a value derived from its config and inputs) as a file.
 */
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { defineArtifactKind } from "../../src/runtime/artifact.js"
import { StageError } from "../../src/runtime/errors.js"
import { makeRegistry } from "../../src/runtime/registry.js"
import { ArtifactStore } from "../../src/runtime/services/artifact-store.js"
import { defineStageKind, field } from "../../src/runtime/stage-kind.js"

export const Token = defineArtifactKind("token", "a short text value in a file", {
  path: Schema.String,
  value: Schema.String
})

export interface ProbeEvent {
  readonly stage: string
  readonly type: "start" | "end" | "fail"
  readonly attempt: number
  readonly at: number
}

/** What the probe kinds did; reset by `resetProbeLog` before each test. */
export const probeLog = { events: [] as Array<ProbeEvent>, running: 0, maxRunning: 0 }

export const resetProbeLog = () => {
  probeLog.events.length = 0
  probeLog.running = 0
  probeLog.maxRunning = 0
}

export const startsOf = (stage: string) => probeLog.events.filter((e) => e.stage === stage && e.type === "start")

const ProbeConfig = Schema.Struct({
  value: field(Schema.String, "v", "text mixed into the token"),
  sleepMs: field(Schema.Int.pipe(Schema.nonNegative()), 20, "time the stage takes"),
  failTimes: field(Schema.Int.pipe(Schema.nonNegative()), 0, "attempts that fail before one succeeds"),
  retryable: field(Schema.Boolean, true, "whether the failures are retryable")
})

const probe = (stageId: string, attempt: number, config: Schema.Schema.Type<typeof ProbeConfig>, workDir: string, upstream: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    probeLog.events.push({ stage: stageId, type: "start", attempt, at: Date.now() })
    probeLog.running += 1
    probeLog.maxRunning = Math.max(probeLog.maxRunning, probeLog.running)
    yield* Effect.sleep(config.sleepMs).pipe(Effect.ensuring(Effect.sync(() => (probeLog.running -= 1))))
    if (attempt <= config.failTimes) {
      probeLog.events.push({ stage: stageId, type: "fail", attempt, at: Date.now() })
      return yield* new StageError({ message: `${stageId} failed on attempt ${attempt}`, retryable: config.retryable })
    }
    const value = [config.value, ...upstream].join("+")
    const path = join(workDir, "token.txt")
    const digest = yield* store.writeFile(path, value)
    probeLog.events.push({ stage: stageId, type: "end", attempt, at: Date.now() })
    return { kind: "token" as const, path, value, digest }
  })

export const source = defineStageKind({
  name: "source",
  version: 1,
  description: "test: a token from config",
  config: ProbeConfig,
  inputs: {},
  output: Token,
  run: ({ stageId, attempt, config, workDir }) => probe(stageId, attempt, config, workDir, [])
})

export const transform = defineStageKind({
  name: "transform",
  version: 1,
  description: "test: a token from config and one input",
  config: ProbeConfig,
  inputs: { in: { artifact: Token, description: "upstream token" } },
  output: Token,
  run: ({ stageId, attempt, config, workDir, inputs }) => probe(stageId, attempt, config, workDir, [inputs.in.value])
})

export const joinKind = defineStageKind({
  name: "join",
  version: 1,
  description: "test: a token from config and two inputs",
  config: ProbeConfig,
  inputs: {
    left: { artifact: Token, description: "first token" },
    right: { artifact: Token, description: "second token" }
  },
  output: Token,
  run: ({ stageId, attempt, config, workDir, inputs }) =>
    probe(stageId, attempt, config, workDir, [inputs.left.value, inputs.right.value])
})

export const probeRegistry = makeRegistry([source, transform, joinKind])
