import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { memoryLedger, runPipeline, tempDir, writePipeline } from "./harness.js"
import { exampleRegistry } from "./example-registry.js"

const pipeline = `
pipeline: swap
layers: { store: { dir: $OUT } }
stages:
  numbers: { uses: example-numbers, with: { count: 5000, chunkSize: 1000, seed: 7 } }
  stats: { uses: example-stats, needs: [numbers] }
  histogram: { uses: example-histogram, needs: [numbers], with: { bins: 5 } }
  report: { uses: example-report, inputs: { stats: stats, histogram: histogram } }
`

describe("layer swapping", () => {
  it.live("the same pipeline gives the same artifacts with the in-memory and the SQLite ledger", () =>
    Effect.gen(function* () {
      const memoryDir = tempDir()
      const sqliteDir = tempDir()
      const inMemory = yield* runPipeline(writePipeline(memoryDir, pipeline), { ledger: memoryLedger(), registry: exampleRegistry })
      const onDisk = yield* runPipeline(writePipeline(sqliteDir, pipeline), {
        ledger: { _tag: "sqlite", path: join(sqliteDir, "ledger.sqlite") },
        registry: exampleRegistry
      })
      expect(inMemory.status).toBe("succeeded")
      expect(onDisk.status).toBe("succeeded")
      const reportOf = (dir: string, runId: string) => {
        const events = readFileSync(join(dir, "out", "runs", runId, "events.jsonl"), "utf8").trim().split("\n")
        return events.map((l) => JSON.parse(l) as { type: string; stage: string | null; digest?: string })
      }
      const digests = (dir: string, runId: string) =>
        reportOf(dir, runId)
          .filter((e) => e.type === "attempt-succeeded")
          .map((e) => [e.stage, e.digest])
          .sort()
      expect(digests(memoryDir, inMemory.runId)).toEqual(digests(sqliteDir, onDisk.runId))
      expect(digests(memoryDir, inMemory.runId)).toHaveLength(4)
    })
  )
})
