/**
 * Bad config for the data stages fails when the pipeline is loaded, with a message that says what
 * is wrong, and nothing is written: count 0, negative or huge, an unknown locale, a dim out of
 * range, an unknown embedding mode.
 */
import { existsSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { memoryLedger, tempDir, writePipeline } from "../runtime/harness.js"
import { runData } from "../layers/workers/data-pipeline.js"

const pipeline = (profiles: string, embeddings = "{ dim: 16 }") => `
pipeline: bad
layers: { store: { dir: $OUT } }
stages:
  profiles: { uses: generate-profiles, with: ${profiles} }
  embeddings: { uses: embeddings, needs: [profiles], with: ${embeddings} }
`

const range = (from: string, to: string) => `an integer from ${from} to ${to}`
const cases: ReadonlyArray<readonly [string, string, string | undefined, string]> = [
  ["count 0", "{ count: 0 }", undefined, `stages.profiles.with.count: expected number (${range("1", "50,000,000")}), found 0`],
  ["negative count", "{ count: -5 }", undefined, `expected number (${range("1", "50,000,000")}), found -5`],
  ["huge count", "{ count: 60000000 }", undefined, `expected number (${range("1", "50,000,000")}), found 60000000`],
  ["fractional count", "{ count: 10.5 }", undefined, "found 10.5"],
  ["unknown locale", "{ count: 10, locale: en_US }", undefined, `stages.profiles.with.locale: expected string (a supported locale: pt_BR), found "en_US"`],
  ["chunk size 0", "{ count: 10, chunkSize: 0 }", undefined, `stages.profiles.with.chunkSize: expected number (${range("1", "1,000,000")}), found 0`],
  ["negative seed", "{ count: 10, seed: -1 }", undefined, "expected number (a non-negative integer), found -1"],
  ["dim too small", "{ count: 10 }", "{ dim: 3 }", `stages.embeddings.with.dim: expected number (${range("8", "4,096")}), found 3`],
  ["dim too large", "{ count: 10 }", "{ dim: 5000 }", `expected number (${range("8", "4,096")}), found 5000`],
  ["unknown mode", "{ count: 10 }", "{ mode: cosine }", `stages.embeddings.with.mode: expected "attributes" | "seed-random", found "cosine"`]
]

describe("data stage config", () => {
  for (const [name, profiles, embeddings, message] of cases) {
    it.live(`${name} fails at validation, nothing written`, () =>
    Effect.gen(function* () {
      const dir = tempDir("data-bad-")
      const file = writePipeline(dir, pipeline(profiles, embeddings))
      const error = yield* Effect.flip(runData(file, memoryLedger(), "inline"))
      expect((error as { _tag: string })._tag).toBe("PipelineInvalid")
      expect((error as Error).message).toContain(message)
      expect(existsSync(join(dir, "out", "stages"))).toBe(false)
    })
    )
  }
})
