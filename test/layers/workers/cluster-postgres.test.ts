/**
 * The cluster engine for real: a PostgreSQL server from Debian's package (postgres-server.ts),
 * three `pipeline runner` processes, and `pipeline run pipelines/full.yaml` with
 * `layers.workers.engine: cluster` as the driver, at 200,000 profiles through the data stages
 * (profiles, vectors, embeddings). One runner is SIGKILLed once every runner has done work, in the
 * middle of the first data stage. The run must still succeed with every data file byte-identical
 * to a thread-pool run of the same seed, each chunk committed exactly once (the run's
 * chunk-committed events), and every runner's log showing work; the chunks the dead runner held
 * are run again by the others (at-least-once delivery, committed once by the driver).
 *
 * Also: an unreachable PostgreSQL and a deployment with no runner are errors with exit 1 that name
 * the URL without its password; a runner stopped with SIGTERM unregisters and exits 0.
 *
 * No assertion depends on the machine's speed: the kill waits for log lines, not for a time.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative, resolve } from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { pipelineBin, runPipelineCli } from "../../runtime/cli-process.js"
import { freePort, type PostgresServer, startPostgres } from "./postgres-server.js"

const root = resolve(import.meta.dirname, "../../..")
const PROFILES = 200_000
const CHUNK = 10_000
const DATA_STAGES = ["profiles", "vectors", "embeddings"] as const
const selection = ["--until", "vectors", "--until", "embeddings", "--set", `params.profiles=${PROFILES}`, "--progress", "off"]

/** A `pipeline runner` child and what it printed so far. */
interface RunnerProcess {
  readonly port: number
  readonly child: ChildProcess
  readonly log: () => string
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
}

const startRunner = (url: string, port: number): RunnerProcess => {
  const child = spawn(process.execPath, [pipelineBin, "runner", "--storage", url, "--port", String(port), "--threads", "1"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"]
  })
  let out = ""
  child.stdout?.setEncoding("utf8").on("data", (d: string) => (out += d))
  child.stderr?.setEncoding("utf8").on("data", (d: string) => (out += d))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on("close", (code, signal) => done({ code, signal })))
  return { port, child, log: () => out, exited }
}

/** Resolves once `test` holds, checking every 100 ms; rejects if `dead` resolves first. */
const until = async (test: () => boolean, what: string, dead: Promise<unknown>): Promise<void> => {
  let stopped = false
  void dead.then(() => (stopped = true))
  while (!test()) {
    if (stopped) throw new Error(`a process ended before ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Lines `ran <task> <entity id> in <ms> ms` of a runner's log, as [task, entity id]. */
const ranChunks = (log: string): Array<readonly [string, string]> =>
  [...log.matchAll(/^\S+ ran (\S+) (\S+) in \d+ ms$/gm)].map((m) => [m[1]!, m[2]!] as const)

/** sha256 of every file under the data stages' directories, by path relative to the store. */
const dataDigests = (store: string): Map<string, string> => {
  const digests = new Map<string, string>()
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      // Readers' SQLite side files come and go; the data is in the main files.
      else if (!name.endsWith("-shm") && !name.endsWith("-wal")) digests.set(relative(store, path), createHash("sha256").update(readFileSync(path)).digest("hex"))
    }
  }
  for (const stage of DATA_STAGES) walk(join(store, "stages", stage))
  return digests
}

/** The run's events of one type. */
const eventsOf = (store: string, type: string): Array<Record<string, unknown>> => {
  const runs = readdirSync(join(store, "runs"))
  expect(runs).toHaveLength(1)
  return readFileSync(join(store, "runs", runs[0]!, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((event) => event.type === type)
}

const psql = (port: number, query: string) =>
  promisify(execFile)("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "pipeline", "-tAc", query]).then((r) => r.stdout.trim())

describe("the cluster engine over a real PostgreSQL", () => {
  let server: PostgresServer
  const dirs: Array<string> = []
  const runners: Array<RunnerProcess> = []
  const tempDir = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), `cluster-${name}-`))
    dirs.push(dir)
    return dir
  }

  beforeAll(async () => {
    server = await startPostgres()
  })

  afterAll(async () => {
    for (const runner of runners) runner.child.kill("SIGKILL")
    await Promise.all(runners.map((r) => r.exited))
    await server?.stop()
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it("unreachable PostgreSQL, no runner, a bad URL: clear errors, never the password", async () => {
    const store = tempDir("errors")
    const closed = await freePort()
    const unreachable = await runPipelineCli([
      "run", "pipelines/quick.yaml", "--progress", "off", "--set", `layers.store.dir=${store}`,
      "--set", "layers.workers.engine=cluster", "--set", `layers.workers.storage=postgres://someone:s3cret@127.0.0.1:${closed}/pipeline`
    ])
    expect(unreachable.status).toBe(1)
    expect(unreachable.stderr).toContain(`cannot use PostgreSQL at postgres://someone@127.0.0.1:${closed}/pipeline`)
    expect(unreachable.stderr).toContain("ECONNREFUSED")
    expect(unreachable.stdout + unreachable.stderr).not.toContain("s3cret")

    const noRunner = await runPipelineCli([
      "run", "pipelines/quick.yaml", "--progress", "off", "--set", `layers.store.dir=${store}`,
      "--set", "layers.workers.engine=cluster", "--set", `layers.workers.storage=${server.url}`, "--set", "layers.workers.waitForRunners=1s"
    ])
    expect(noRunner.status).toBe(1)
    expect(noRunner.stderr).toContain(`no pipeline runner is registered at ${server.url}`)

    const badUrl = await runPipelineCli(["runner", "--storage", "mysql://x:pw@host/db"])
    expect(badUrl.status).toBe(2)
    expect(badUrl.stderr).toContain("expected a postgres:// URL")
    expect(badUrl.stderr).not.toContain("pw@")
  })

  it("a runner stopped with SIGTERM unregisters and exits 0", async () => {
    const runner = startRunner(server.url, await freePort())
    await until(() => runner.log().includes("runner ready"), "the runner was ready", runner.exited)
    expect(Number(await psql(server.port, `SELECT count(*) FROM cluster_runners WHERE address LIKE '%${runner.port}%'`))).toBe(1)
    runner.child.kill("SIGTERM")
    expect(await runner.exited).toEqual({ code: 0, signal: null })
    expect(runner.log()).toContain("runner stopped")
    expect(Number(await psql(server.port, `SELECT count(*) FROM cluster_runners WHERE address LIKE '%${runner.port}%'`))).toBe(0)
  })

  it(`full.yaml's data stages at ${PROFILES.toLocaleString("en")} profiles on 3 runners, one SIGKILLed mid-stage: identical to the thread pool`, async () => {
    const threadsStore = tempDir("threads")
    const threads = await runPipelineCli(["run", "pipelines/full.yaml", ...selection, "--set", `layers.store.dir=${threadsStore}`])
    expect(threads.stderr).toBe("")
    expect(threads.status).toBe(0)

    for (let i = 0; i < 3; i++) runners.push(startRunner(server.url, await freePort()))
    const anyRunnerEnded = Promise.race(runners.map((r) => r.exited))
    await until(() => runners.every((r) => r.log().includes("runner ready")), "every runner was ready", anyRunnerEnded)

    const clusterStore = tempDir("cluster")
    const driver = runPipelineCli([
      "run", "pipelines/full.yaml", ...selection, "--set", `layers.store.dir=${clusterStore}`,
      "--set", "layers.workers.engine=cluster", "--set", `layers.workers.storage=${server.url}`, "--set", "layers.workers.size=6"
    ])
    // The victim is killed once every runner has run a chunk of a data stage and before the last
    // one: mid-stage, with work of its own in its log. (A runner that joined last may hold no
    // shard of the first stage's chunks yet, so any data stage counts.)
    const totalChunks = DATA_STAGES.length * (PROFILES / CHUNK)
    const driverEnded = driver.then((r) => {
      throw new Error(`the driver ended (status ${r.status}) before every runner had run a chunk:\n${r.stderr}\n${r.stdout}`)
    })
    await Promise.race([until(() => runners.every((r) => ranChunks(r.log()).length > 0), "every runner had run a chunk", anyRunnerEnded), driverEnded])
    expect(runners.reduce((n, r) => n + ranChunks(r.log()).length, 0)).toBeLessThan(totalChunks)
    const victim = runners[1]!
    const victimLog = victim.log()
    victim.child.kill("SIGKILL")
    expect((await victim.exited).signal).toBe("SIGKILL")

    const result = await driver
    expect(result.stderr).toBe("")
    expect(result.status).toBe(0)

    // Byte-identical data: every file of the three data stages.
    const expected = dataDigests(threadsStore)
    expect(expected.size).toBe(8) // profiles.{sqlite,codes}, features.{f32,ids.i64,sqlite}, embeddings.{f32,ids.i64,sqlite} less one: checked below by name
    expect(dataDigests(clusterStore)).toEqual(expected)

    // Each chunk of each stage committed exactly once, in one attempt.
    const commits = eventsOf(clusterStore, "chunk-committed")
    for (const stage of DATA_STAGES) {
      const chunks = commits.filter((e) => e.stage === stage).map((e) => e.chunk as number)
      expect(chunks.sort((a, b) => a - b)).toEqual(Array.from({ length: PROFILES / CHUNK }, (_, i) => i))
    }
    expect(eventsOf(clusterStore, "attempt-started").map((e) => e.stage).sort()).toEqual([...DATA_STAGES].sort())

    // Every runner worked; the survivors ran every chunk the victim did not finish.
    const survivors = runners.filter((r) => r !== victim)
    expect(ranChunks(victimLog).length).toBeGreaterThan(0)
    for (const runner of survivors) expect(ranChunks(runner.log()).length).toBeGreaterThan(0)
    const ran = new Set([...ranChunks(victimLog), ...survivors.flatMap((r) => ranChunks(r.log()))].map(([task, id]) => `${task} ${id}`))
    expect(ran.size).toBe(totalChunks)

    // Only the driver wrote artifacts; the storage keeps no chunk data once answered.
    expect(Number(await psql(server.port, "SELECT count(*) FROM cluster_messages WHERE entity_type = 'ChunkTask'"))).toBe(0)
  })
})
