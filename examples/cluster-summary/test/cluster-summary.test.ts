/**
 * Runs this project's pipeline through effect-pipelines/testing (memory ledger, temp outputs,
 * reference FAISS, inline workers) and checks the CSV against the artifacts it summarises.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { artifactOf, ClusterAssignment, readAssignments } from "effect-pipelines"
import { runTestPipeline } from "effect-pipelines/testing"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { ClusterCsv } from "../stages/cluster-summary.js"

const pipeline = fileURLToPath(new URL("../pipeline.yaml", import.meta.url))

describe("cluster-summary", () => {
  it("writes one line per cluster whose sizes are the assignment's, with the configured delimiter", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const summary = yield* runTestPipeline({ pipeline, sets: ["params.profiles=1200", "stages.clusters.with.k=6"] })
        const csv = yield* artifactOf(summary, "summary", ClusterCsv)
        const clusters = yield* artifactOf(summary, "clusters", ClusterAssignment)
        const assignment = yield* readAssignments(clusters)
        return { summary, csv, clusters, assignment }
      })
    )
    expect(result.summary.status).toBe("succeeded")
    expect(result.summary.stages.map((s) => s.outcome)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"])

    const lines = readFileSync(result.csv.path, "utf8").trim().split("\n")
    expect(lines[0]).toBe("cluster;size;share;mean_distance;mean_norm")
    const rows = lines.slice(1).map((line) => line.split(";"))
    expect(rows.length).toBe(result.csv.clusters)

    const sizes = new Map<number, number>()
    for (const c of result.assignment) sizes.set(c, (sizes.get(c) ?? 0) + 1)
    expect(rows.length).toBe(sizes.size)
    for (const [cluster, size, share, distance, norm] of rows) {
      expect(Number(size)).toBe(sizes.get(Number(cluster)))
      // layers.csv in pipeline.yaml: 3 decimals.
      expect(share).toBe((Number(size) / 1200).toFixed(3))
      // Unit embeddings: every member's norm is 1, and distances to a centroid are below 2.
      expect(Number(norm)).toBeCloseTo(1, 3)
      expect(Number(distance)).toBeGreaterThan(0)
      expect(Number(distance)).toBeLessThan(2)
    }
    expect(rows.reduce((sum, r) => sum + Number(r[1]), 0)).toBe(1200)
  })

  it("reuses every stage when nothing changed, and re-runs only the summary when its config changes", async () => {
    const outcomes = await Effect.runPromise(
      Effect.gen(function* () {
        const sets = ["params.profiles=600", "stages.clusters.with.k=4"]
        const first = yield* runTestPipeline({ pipeline, sets })
        const again = yield* runTestPipeline({ pipeline, sets, ledgerState: first.ledgerState, outputDir: first.outputDir })
        const changed = yield* runTestPipeline({
          pipeline,
          sets: [...sets, "stages.summary.with.minSize=2"],
          ledgerState: first.ledgerState,
          outputDir: first.outputDir
        })
        return [again, changed].map((s) => s.stages.map((stage) => stage.outcome))
      })
    )
    expect(outcomes[0]).toEqual(["reused", "reused", "reused", "reused"])
    expect(outcomes[1]).toEqual(["reused", "reused", "reused", "succeeded"])
  })
})
