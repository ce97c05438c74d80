/**
 * generate-profiles under a real crash: `pipeline run` is SIGKILLed while it writes chunks; the
 * next run resumes at the next chunk, and the profiles table has the same digest as an
 * uninterrupted run, with no row missing or doubled.
 */
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import Database from "better-sqlite3"
import { describe, expect, it } from "vitest"
import { descriptorFromStore } from "../../src/runtime/artifact-paths.js"
import { runPipelineCli } from "../runtime/cli-process.js"
import { tempDir, writePipeline } from "../runtime/harness.js"

const root = resolve(import.meta.dirname, "../..")
const cli = join(root, "bin", "pipeline.js")
// 100 chunks: a kill after 10 lands mid-stage; small chunks keep the two full runs to seconds.
const COUNT = 40_000
const CHUNK = 400

const pipeline = `
pipeline: crash
layers: { store: { dir: $OUT }, progress: { mode: plain }, workers: { size: 2 } }
stages:
  profiles: { uses: generate-profiles, with: { count: ${COUNT}, chunkSize: ${CHUNK}, seed: 7 } }
`

const query = <T>(file: string, sql: string): Array<T> => {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return db.prepare(sql).all() as Array<T>
  } finally {
    db.close()
  }
}

const committedChunks = (ledger: string): number => {
  if (!existsSync(ledger)) return 0
  try {
    return query<{ n: number }>(ledger, "SELECT count(*) AS n FROM checkpoints WHERE stage_id = 'profiles'")[0]!.n
  } catch {
    return 0
  }
}

const artifactOf = (ledger: string) => {
  const row = query<{ digest: string; descriptor: string }>(ledger, "SELECT digest, descriptor FROM artifacts WHERE stage_id = 'profiles'")[0]!
  const descriptor = descriptorFromStore(dirname(ledger), JSON.parse(row.descriptor)) as { path: string }
  return { digest: row.digest, path: descriptor.path }
}

const runToEnd = (file: string) => runPipelineCli(["run", file])

describe("generate-profiles killed with SIGKILL", () => {
  it("resumes at the next chunk with the digest of an uninterrupted run, no row missing or doubled", async () => {
    const dir = tempDir()
    const file = writePipeline(dir, pipeline)
    const ledger = join(dir, "out", "ledger.sqlite")
    const child = spawn(process.execPath, [cli, "run", file], { cwd: root, stdio: "ignore" })
    const deadline = Date.now() + 300_000 // a hang guard, not a speed limit
    let seen = 0
    while ((seen = committedChunks(ledger)) < 10) {
      if (Date.now() > deadline) throw new Error("no chunks committed in time")
      await new Promise((r) => setTimeout(r, 20))
    }
    child.kill("SIGKILL")
    await new Promise((r) => child.on("exit", r))
    const leftBehind = committedChunks(ledger)
    expect(leftBehind).toBeGreaterThanOrEqual(seen)
    expect(leftBehind).toBeLessThan(COUNT / CHUNK)

    const resumed = await runToEnd(file)
    expect(resumed.status, resumed.stdout + resumed.stderr).toBe(0)
    const attempts = query<{ resumed_chunks: number; status: string }>(
      ledger,
      "SELECT resumed_chunks, status FROM attempts WHERE stage_id = 'profiles' ORDER BY id"
    )
    expect(attempts.map((a) => a.status)).toEqual(["crashed", "succeeded"])
    expect(attempts[1]!.resumed_chunks).toBeGreaterThanOrEqual(seen)

    const artifact = artifactOf(ledger)
    const counts = query<{ n: number; distinct_ids: number; lo: number; hi: number }>(
      artifact.path,
      "SELECT count(*) AS n, count(DISTINCT id) AS distinct_ids, min(id) AS lo, max(id) AS hi FROM profiles"
    )[0]!
    expect(counts).toEqual({ n: COUNT, distinct_ids: COUNT, lo: 1, hi: COUNT })

    const cleanDir = tempDir()
    const clean = await runToEnd(writePipeline(cleanDir, pipeline))
    expect(clean.status, clean.stderr).toBe(0)
    expect(artifact.digest).toBe(artifactOf(join(cleanDir, "out", "ledger.sqlite")).digest)
  })
})
