/**
 * `npm run bench -- cluster [--profiles 200000] [--runners 1,2,3] [--threads-per-runner 1]`: the
 * data stages of full.yaml (profiles, vectors, embeddings) through the cluster engine against the
 * thread pool, all on this machine: a throwaway PostgreSQL (Debian's package), N local
 * `pipeline runner` processes, and `pipeline run` as the driver, each configuration into a fresh
 * output directory.
 *
 * Prints per configuration: each data stage's seconds, chunks/s and profiles/s, and the data
 * stages' span; then the per-chunk overhead (one runner with one thread against a one-thread pool:
 * the same compute, so the difference is the engine's), and the cost of a killed runner (three
 * runners, one SIGKILLed once it has run a chunk, against three that all live). One machine's
 * cores are shared by every process, so more runners cannot be faster here; the note in
 * docs/cluster.md says what the figures predict for N hosts.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { freePort, startPostgres } from "../test/layers/workers/postgres-server.js"
import { machineLine } from "./machine.js"

const root = resolve(import.meta.dirname, "..")
const bin = join(root, "bin", "pipeline.js")
const STAGES = ["profiles", "vectors", "embeddings"] as const

const flag = (args: ReadonlyArray<string>, name: string, fallback: string): string => {
  const eq = args.find((a) => a.startsWith(`${name}=`))
  if (eq !== undefined) return eq.slice(name.length + 1)
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback
}

const run = (args: ReadonlyArray<string>): Promise<{ status: number | null; stdout: string; stderr: string; seconds: number }> =>
  new Promise((done) => {
    const started = performance.now()
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("close", (status) => done({ status, stdout, stderr, seconds: (performance.now() - started) / 1000 }))
  })

interface Runner {
  readonly child: ChildProcess
  log: string
  readonly exited: Promise<void>
}

const startRunner = (url: string, port: number, threads: number): Runner => {
  const child = spawn(process.execPath, [bin, "runner", "--storage", url, "--port", String(port), "--threads", String(threads)], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"]
  })
  const runner: Runner = { child, log: "", exited: new Promise((done) => child.on("close", () => done())) }
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (runner.log += d))
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (runner.log += d))
  return runner
}

const waitFor = async (test: () => boolean): Promise<void> => {
  while (!test()) await new Promise((r) => setTimeout(r, 50))
}

/** Each data stage's seconds, from the run's events. */
const stageSeconds = (store: string): Map<string, { start: number; end: number }> => {
  const runs = readdirSync(join(store, "runs"))
  const events = readFileSync(join(store, "runs", runs[0]!, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { at: string; type: string; stage: string | null })
  const spans = new Map<string, { start: number; end: number }>()
  for (const e of events) {
    if (e.stage === null) continue
    const t = Date.parse(e.at) / 1000
    if (e.type === "attempt-started") spans.set(e.stage, { start: t, end: t })
    if (e.type === "attempt-succeeded") spans.get(e.stage)!.end = t
  }
  return spans
}

const bytesUnder = (dir: string): number =>
  readdirSync(dir).reduce((n, name) => {
    const path = join(dir, name)
    return n + (statSync(path).isDirectory() ? bytesUnder(path) : statSync(path).size)
  }, 0)

export const main = async (args: ReadonlyArray<string>): Promise<void> => {
  const profiles = Number(flag(args, "--profiles", "200000"))
  const runnerCounts = flag(args, "--runners", "1,2,3").split(",").map(Number)
  const threadsPerRunner = Number(flag(args, "--threads-per-runner", "1"))
  const chunks = Math.ceil(profiles / 10_000)
  console.log(machineLine())
  console.log(`full.yaml --until vectors --until embeddings at ${profiles.toLocaleString("en")} profiles (${chunks} chunks a stage); runners have ${threadsPerRunner} thread(s) each`)
  const server = await startPostgres()
  const base = ["run", "pipelines/full.yaml", "--until", "vectors", "--until", "embeddings", "--set", `params.profiles=${profiles}`, "--progress", "off"]
  const rows: Array<{ name: string; wall: number; spans: Map<string, { start: number; end: number }> }> = []
  const dirs: Array<string> = []
  const measure = async (name: string, extra: ReadonlyArray<string>, during?: () => Promise<void>) => {
    const store = mkdtempSync(join(tmpdir(), "bench-cluster-"))
    dirs.push(store)
    const pending = run([...base, "--set", `layers.store.dir=${store}`, ...extra])
    if (during !== undefined) await during()
    const result = await pending
    if (result.status !== 0) throw new Error(`${name}: exit ${result.status}\n${result.stderr}`)
    rows.push({ name, wall: result.seconds, spans: stageSeconds(store) })
    return store
  }
  const clusterArgs = (size: number) => ["--set", "layers.workers.engine=cluster", "--set", `layers.workers.storage=${server.url}`, "--set", `layers.workers.size=${size}`]
  const withRunners = async <A>(n: number, body: (runners: ReadonlyArray<Runner>) => Promise<A>): Promise<A> => {
    const runners: Array<Runner> = []
    for (let i = 0; i < n; i++) runners.push(startRunner(server.url, await freePort(), threadsPerRunner))
    await waitFor(() => runners.every((r) => r.log.includes("runner ready")))
    try {
      return await body(runners)
    } finally {
      for (const r of runners) r.child.kill("SIGTERM")
      await Promise.all(runners.map((r) => r.exited))
    }
  }
  try {
    await measure("threads, size 1", ["--set", "layers.workers.size=1"])
    const threadsStore = await measure("threads, size 2", ["--set", "layers.workers.size=2"])
    for (const n of runnerCounts) await withRunners(n, () => measure(`cluster, ${n} runner${n === 1 ? "" : "s"}`, clusterArgs(Math.max(2, 2 * n * threadsPerRunner))))
    await withRunners(3, (runners) =>
      measure("cluster, 3 runners, 1 killed", clusterArgs(6 * threadsPerRunner), async () => {
        await waitFor(() => / ran /.test(runners[1]!.log))
        runners[1]!.child.kill("SIGKILL")
      })
    )
    const perChunkBytes = STAGES.map((s) => `${s} ${(bytesUnder(join(threadsStore, "stages", s)) / chunks / 2 ** 20).toFixed(1)} MiB`).join(", ")

    console.log(`\n${"configuration".padEnd(30)} ${STAGES.map((s) => `${s} s  chunks/s  profiles/s`.padStart(34)).join("")}   data span   wall`)
    for (const row of rows) {
      const cells = STAGES.map((s) => {
        const span = row.spans.get(s)!
        const secs = span.end - span.start
        return `${secs.toFixed(2).padStart(10)} ${(chunks / secs).toFixed(1).padStart(9)} ${Math.round(profiles / secs).toLocaleString("en").padStart(12)}  `
      })
      const all = STAGES.map((s) => row.spans.get(s)!)
      const span = Math.max(...all.map((s) => s.end)) - Math.min(...all.map((s) => s.start))
      console.log(`${row.name.padEnd(30)} ${cells.join("")}   ${span.toFixed(2).padStart(7)} s  ${row.wall.toFixed(1).padStart(5)} s`)
    }
    const span = (name: string) => {
      const row = rows.find((r) => r.name === name)!
      const all = STAGES.map((s) => row.spans.get(s)!)
      return Math.max(...all.map((s) => s.end)) - Math.min(...all.map((s) => s.start))
    }
    const oneRunner = rows.find((r) => r.name === "cluster, 1 runner")
    if (oneRunner !== undefined && threadsPerRunner === 1) {
      const extra = span("cluster, 1 runner") - span("threads, size 1")
      console.log(`\nper-chunk overhead (1 runner x 1 thread vs a 1-thread pool, same compute): ${((extra / (3 * chunks)) * 1000).toFixed(0)} ms a chunk (${extra.toFixed(2)} s over ${3 * chunks} chunks)`)
    }
    if (rows.some((r) => r.name === "cluster, 3 runners")) {
      console.log(`a SIGKILLed runner cost ${(span("cluster, 3 runners, 1 killed") - span("cluster, 3 runners")).toFixed(1)} s extra (its shards wait for the 10 s lock expiry, then its in-flight chunks run again)`)
    }
    console.log(`data a chunk carries back to the driver (the stages' output over ${chunks} chunks): ${perChunkBytes}`)
  } finally {
    await server.stop()
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  }
}
