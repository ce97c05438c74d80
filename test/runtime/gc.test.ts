/** `pipeline gc`: removes what none of the last N runs used, forgets it in the ledger, and leaves a busy output alone. */
import { existsSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { RunLedgerSqlite } from "../../src/layers/ledger/sqlite-ledger.js"
import { RunLedger } from "../../src/runtime/services/run-ledger.js"
import { tempDir, writePipeline } from "./harness.js"
import { pipelineCliAsync } from "./cli-process.js"

const pipelineCli = (...args: Array<string>) => pipelineCliAsync(args)

const yaml = `
pipeline: gc
layers: { store: { dir: $OUT }, progress: { mode: off } }
stages:
  numbers: { uses: example-numbers, with: { count: 1000, chunkSize: 100 } }
  stats: { uses: example-stats, needs: [numbers] }
`

const stageDirs = (out: string, stage: string) => readdirSync(join(out, "stages", stage)).sort()

describe("pipeline gc", () => {
  it("keeps what the last N runs used, removes the rest and forgets it, so a later run recomputes", async () => {
    const dir = tempDir()
    const file = writePipeline(dir, yaml)
    const out = join(dir, "out")
    for (const count of [1000, 2000, 3000]) expect((await pipelineCli("run", file, "--set", `stages.numbers.with.count=${count}`)).code).toBe(0)
    expect(stageDirs(out, "numbers")).toHaveLength(3)

    const dry = (await pipelineCli("gc", file, "--keep", "1", "--dry-run"))
    expect(dry.code).toBe(0)
    expect(dry.out).toContain("would remove 4 stage directories")
    expect(stageDirs(out, "numbers")).toHaveLength(3)

    const gc = (await pipelineCli("gc", file, "--keep", "1"))
    expect(gc.code).toBe(0)
    expect(gc.out).toContain("removed 4 stage directories")
    expect(stageDirs(out, "numbers")).toHaveLength(1)
    expect(stageDirs(out, "stats")).toHaveLength(1)

    // The kept variant is still reused; a removed one runs again instead of "reusing" gone files.
    expect((await pipelineCli("plan", file, "--set", "stages.numbers.with.count=3000")).out).toMatch(/numbers\s+example-numbers\s+reuse/)
    expect((await pipelineCli("plan", file, "--set", "stages.numbers.with.count=1000")).out).toMatch(/numbers\s+example-numbers\s+run/)
    expect((await pipelineCli("gc", file, "--keep", "1")).out).toContain("nothing to remove")
  })

  it("leaves an output directory alone while a run is in progress there (exit 1)", async () => {
    const dir = tempDir()
    const file = writePipeline(dir, yaml)
    expect((await pipelineCli("run", file)).code).toBe(0)
    // A run opened by this (live) test process and not finished: "in progress".
    await Effect.runPromise(
      Effect.flatMap(RunLedger, (l) => l.openRun({ pipeline: "gc", file, argv: [] })).pipe(
        Effect.provide(RunLedgerSqlite.layer(join(dir, "out", "ledger.sqlite")))
      )
    )
    const gc = (await pipelineCli("gc", file, "--keep", "1"))
    expect(gc.code).toBe(1)
    expect(gc.err).toContain("is in progress")
    expect(existsSync(join(dir, "out", "stages", "numbers"))).toBe(true)
  })
})
