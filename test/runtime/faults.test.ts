/**
 * Faults of the disk under a run: an I/O error in a stage (ENOSPC) and an event log that cannot be
 * written end the run with its stage table and the attempt recorded as failed with the message; a
 * ledger that cannot record the run's end still gives the report; a damaged ledger is refused with
 * how to rebuild it; a finished store that cannot be written can still be planned and listed.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, openSync, closeSync, statSync, writeFileSync, writeSync } from "node:fs"
import { join, resolve } from "node:path"
import { Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { RunLedgerMemory } from "../../src/layers/ledger/memory-ledger.js"
import { RunLedgerSqlite } from "../../src/layers/ledger/sqlite-ledger.js"
import { LedgerError } from "../../src/runtime/errors.js"
import { shippedCatalog } from "../../src/runtime/modules/catalog.js"
import { holdReaderLock } from "../../src/runtime/run/output-lock.js"
import { runPipelineIn } from "../../src/runtime/run-pipeline.js"
import { RunLedger } from "../../src/runtime/services/run-ledger.js"
import { runPipelineCli } from "./cli-process.js"
import { whileReadOnly } from "./read-only.js"
import { tempDir, writePipeline } from "./harness.js"
import { probeRegistry } from "./probe-kinds.js"

const probeCatalog = shippedCatalog([{ kinds: [...probeRegistry.kinds.values()], layers: [], tasks: [] }])
const modules = resolve(import.meta.dirname, "..", "fixtures", "modules")

const yaml = `
pipeline: faults
layers: { store: { dir: $OUT }, progress: { mode: off } }
stages:
  numbers: { uses: example-numbers, with: { count: 1000, chunkSize: 100 } }
  stats: { uses: example-stats, needs: [numbers] }
`

const attemptsIn = (ledger: string) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const l = yield* RunLedger
      const [run] = yield* l.listRuns(1)
      return { run: run!, attempts: yield* l.attemptsOf(run!.id) }
    }).pipe(Effect.provide(RunLedgerSqlite.layer(ledger)))
  )

describe("faults", () => {
  it("a stage's I/O error (ENOSPC) and an unwritable event log: the table is printed, the attempt failed with the message", async () => {
    const dir = tempDir()
    const file = writePipeline(
      dir,
      `${yaml}kinds: [${join(modules, "disk-full.ts")}]\n`.replace("stages:\n", "stages:\n  full: { uses: disk-full }\n")
    )
    const out = join(dir, "out")
    // The event log's folder is a file: every append to events.jsonl fails (ENOTDIR), as on a full disk.
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, "runs"), "")
    const r = await runPipelineCli(["run", file])
    expect(r.status).toBe(1)
    expect(r.stderr).not.toContain("unexpected error")
    expect(r.stdout).toMatch(/full\s+disk-full\s+failed\s+1/)
    expect(r.stdout).toMatch(/numbers\s+example-numbers\s+succeeded/)
    expect(r.stdout).toMatch(/stats\s+example-stats\s+succeeded/)
    expect(r.stdout).toContain("ENOSPC: no space left on device")
    const { run, attempts } = await attemptsIn(join(out, "ledger.sqlite"))
    expect(run.status).toBe("failed")
    const full = attempts.find((a) => a.stageId === "full")!
    expect(full.status).toBe("failed")
    expect(full.error).toContain("ENOSPC: no space left on device")
  })

  it("a ledger that cannot record the run's end still gives the report (the run is left running, for the next run to mark crashed)", async () => {
    const file = writePipeline(
      tempDir(),
      "pipeline: ends\nlayers: { store: { dir: $OUT } }\nstages:\n  a: { uses: source, with: { value: a } }\n  b: { uses: transform, needs: [a], with: { value: b } }\n"
    )
    const base = Effect.runSync(RunLedger.pipe(Effect.provide(RunLedgerMemory.layer)))
    const failing = Layer.succeed(RunLedger, { ...base, finishRun: () => Effect.fail(new LedgerError({ message: "finish run: database or disk is full" })) })
    const summary = await Effect.runPromise(runPipelineIn(probeCatalog)({ pipeline: file, ledger: failing }))
    expect(summary.status).toBe("succeeded")
    expect(summary.stages.map((s) => s.outcome)).toEqual(["succeeded", "succeeded"])
    const [run] = await Effect.runPromise(base.listRuns(1))
    // Left `running`: the next run (or gc) finds its process gone and marks it crashed.
    expect(run!.status).toBe("running")
  })

  it("refuses a damaged ledger, saying how to rebuild it; once moved aside the next run runs every stage", async () => {
    const dir = tempDir()
    const file = writePipeline(dir, yaml)
    const ledger = join(dir, "out", "ledger.sqlite")
    expect((await runPipelineCli(["run", file])).status).toBe(0)
    // Bad bytes over the middle of the file (past the header page): pages the tables use.
    const size = statSync(ledger).size
    const fd = openSync(ledger, "r+")
    writeSync(fd, Buffer.alloc(Math.floor(size / 2), 0xa5), 0, Math.floor(size / 2), Math.floor(size / 4))
    closeSync(fd)
    for (const verb of ["plan", "run", "runs"]) {
      const r = await runPipelineCli([verb, file])
      expect(r.status).toBe(1)
      expect(r.stderr).toContain(`the run ledger ${ledger} is damaged`)
      expect(r.stderr).toContain(`mv ${ledger} ${ledger}.damaged`)
    }
    execFileSync("mv", [ledger, `${ledger}.damaged`])
    const rerun = await runPipelineCli(["run", file])
    expect(rerun.status).toBe(0)
    expect(rerun.stdout).toMatch(/numbers\s+example-numbers\s+succeeded/)
    expect(rerun.stdout).toMatch(/stats\s+example-stats\s+succeeded/)
  })

  it("plans and lists a finished store that cannot be written; a run there says why it cannot, a reader may hold it", async () => {
    const dir = tempDir()
    const file = writePipeline(dir, yaml)
    const out = join(dir, "out")
    expect((await runPipelineCli(["run", file])).status).toBe(0)
    await whileReadOnly(out, async (view) => {
      const set = ["--set", `layers.store.dir=${view}`]
      const plan = await runPipelineCli(["plan", file, ...set])
      expect(plan.stderr).toBe("")
      expect(plan.status).toBe(0)
      expect(plan.stdout).toMatch(/numbers\s+example-numbers\s+reuse\s+unchanged/)
      expect(plan.stdout).toMatch(/stats\s+example-stats\s+reuse\s+unchanged/)
      const runs = await runPipelineCli(["runs", file, ...set])
      expect(runs.status).toBe(0)
      expect(runs.stdout).toMatch(/faults\s+succeeded/)
      const run = await runPipelineCli(["run", file, ...set])
      expect(run.status).toBe(1)
      expect(run.stderr).toContain(`${view} cannot be written`)
      // A server may read it: nothing can change a read-only store, so no marker is needed.
      await Effect.runPromise(Effect.scoped(holdReaderLock(view, "pipeline serve")))
    })
  })
})
