/**
 * Crash safety with a real child process: `pipeline run` is SIGKILLed in the middle of a
 * checkpointed stage, and the next `pipeline run` reuses the finished stages, resumes the
 * interrupted one from its last committed chunk, and ends with the same bytes as a run that was
 * never interrupted. Also: SIGINT interrupts cleanly with exit code 130.
 */
import { spawn, type ChildProcess } from "node:child_process"
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"
import Database from "better-sqlite3"
import { beforeAll, describe, expect, it } from "vitest"
import { runPipelineCli } from "./cli-process.js"
import { tempDir, writePipeline } from "./harness.js"

const root = resolve(import.meta.dirname, "../..")
const cli = join(root, "bin", "pipeline.js")

const pipeline = `
pipeline: killme
layers: { store: { dir: $OUT }, progress: { mode: plain } }
stages:
  first: { uses: example-numbers, with: { count: 2000, chunkSize: 500, seed: 1 } }
  firststats: { uses: example-stats, needs: [first] }
  slow: { uses: example-numbers, needs: [firststats], with: { count: 6000, chunkSize: 100, seed: 2, delayMs: 40 } }
  hist: { uses: example-histogram, needs: [slow], with: { bins: 7 } }
  report: { uses: example-report, inputs: { stats: firststats, histogram: hist } }
`

const start = (file: string): ChildProcess => spawn(process.execPath, [cli, "run", file], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })

const runToEnd = async (file: string) => {
  const result = await runPipelineCli(["run", file])
  return { status: result.status, out: `${result.stdout}${result.stderr}` }
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on("exit", (code, signal) => done({ code, signal }))
  )

/** Polls the ledger (read-only, alongside the writer: WAL) until `slow` has committed `n` chunks. */
const waitForChunks = async (ledger: string, n: number): Promise<number> => {
  // A hang guard, not a speed limit: a loaded machine may take long to get there.
  const deadline = Date.now() + 300_000
  while (Date.now() < deadline) {
    if (existsSync(ledger)) {
      const db = new Database(ledger, { readonly: true, fileMustExist: true })
      try {
        const row = db.prepare("SELECT count(*) AS n FROM checkpoints WHERE stage_id = 'slow'").get() as { n: number }
        if (row.n >= n) return row.n
      } catch {
        // The tables may not exist yet.
      } finally {
        db.close()
      }
    }
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`stage 'slow' did not commit ${n} chunks in time`)
}

const ledgerRows = <T>(ledger: string, sql: string, ...params: Array<unknown>): Array<T> => {
  const db = new Database(ledger, { readonly: true })
  try {
    return db.prepare(sql).all(...params) as Array<T>
  } finally {
    db.close()
  }
}

const artifactDigests = (ledger: string) =>
  Object.fromEntries(
    ledgerRows<{ stage_id: string; digest: string }>(ledger, "SELECT stage_id, digest FROM artifacts ORDER BY stage_id").map((r) => [
      r.stage_id,
      r.digest
    ])
  )

beforeAll(() => {
  if (!existsSync(join(root, "dist", "runtime", "cli", "main.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (`npm test` does it)")
  }
})

describe("kill and resume (real child process)", () => {
  it("resumes a SIGKILLed run from its last committed chunk, with byte-identical artifacts", async () => {
    const dir = tempDir()
    const file = writePipeline(dir, pipeline)
    const ledger = join(dir, "out", "ledger.sqlite")

    const child = start(file)
    const seen = await waitForChunks(ledger, 8)
    child.kill("SIGKILL")
    const first = await exited(child)
    expect(first.signal).toBe("SIGKILL")
    const killedRun = ledgerRows<{ id: string }>(ledger, "SELECT id FROM runs")[0]!.id

    const resumed = await runToEnd(file)
    expect(resumed.status, resumed.out).toBe(0)

    const runs = ledgerRows<{ id: string; status: string }>(ledger, "SELECT id, status FROM runs ORDER BY started_at")
    expect(runs.map((r) => r.status)).toEqual(["crashed", "succeeded"])
    const secondRun = runs[1]!.id
    const attempts = ledgerRows<{ stage_id: string; resumed_chunks: number; status: string }>(
      ledger,
      "SELECT stage_id, resumed_chunks, status FROM attempts WHERE run_id = ? ORDER BY id",
      secondRun
    )
    // Finished stages are reused, not executed again; the interrupted one resumes.
    expect(attempts.map((a) => a.stage_id)).toEqual(["slow", "hist", "report"])
    expect(attempts[0]!.resumed_chunks).toBeGreaterThanOrEqual(seen)
    expect(attempts[0]!.resumed_chunks).toBeLessThan(60)
    const killedAttempts = ledgerRows<{ stage_id: string; status: string }>(
      ledger,
      "SELECT stage_id, status FROM attempts WHERE run_id = ? ORDER BY id",
      killedRun
    )
    expect(killedAttempts).toEqual([
      { stage_id: "first", status: "succeeded" },
      { stage_id: "firststats", status: "succeeded" },
      { stage_id: "slow", status: "crashed" }
    ])
    expect(resumed.out).toMatch(/first\s+example-numbers\s+reused/)

    const cleanDir = tempDir()
    const clean = await runToEnd(writePipeline(cleanDir, pipeline))
    expect(clean.status, clean.out).toBe(0)
    const expected = artifactDigests(join(cleanDir, "out", "ledger.sqlite"))
    expect(Object.keys(expected)).toHaveLength(5)
    expect(artifactDigests(ledger)).toEqual(expected)
  })

  it("SIGINT interrupts the running stage, records it, and exits with 130", async () => {
    const dir = tempDir()
    const file = writePipeline(dir, pipeline)
    const ledger = join(dir, "out", "ledger.sqlite")
    const child = start(file)
    let output = ""
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()))
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()))
    await waitForChunks(ledger, 3)
    child.kill("SIGINT")
    const result = await exited(child)
    expect(result.code, output).toBe(130)
    expect(ledgerRows<{ status: string }>(ledger, "SELECT status FROM runs")).toEqual([{ status: "interrupted" }])
    const slow = ledgerRows<{ status: string }>(ledger, "SELECT status FROM attempts WHERE stage_id = 'slow'")
    expect(slow).toEqual([{ status: "interrupted" }])
    expect(output).toMatch(/slow\s+example-numbers\s+interrupted/)
  })
})
