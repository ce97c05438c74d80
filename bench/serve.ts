/**
 * `npm run bench -- serve [--profiles=1000000] [--connections=16] [--duration=20] [--out=DIR]`:
 * the dashboard's match API under load. Makes (or reuses, through the pipeline's own cache) a run
 * of pipelines/full.yaml up to its `index` stage at the given size, starts `pipeline serve` on a
 * free port, and drives `GET /api/match/:id` for seeded random ids with autocannon: first one
 * client (latency as a user sees it), then `connections` clients (throughput). Prints requests/s
 * and latency percentiles. Load generator and server share this machine's cores.
 */
import { spawn, spawnSync } from "node:child_process"
import { join, resolve } from "node:path"
import autocannon from "autocannon"
import { forChunk } from "../src/domain/random/index.js"

const flag = (args: ReadonlyArray<string>, name: string, fallback: string): string => {
  const eq = args.find((a) => a.startsWith(`--${name}=`))
  if (eq !== undefined) return eq.slice(name.length + 3)
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback
}

const root = resolve(import.meta.dirname, "..")
const cli = join(root, "bin", "pipeline.js")

const startServer = (args: ReadonlyArray<string>) =>
  new Promise<{ url: string; stop: () => void }>((done, fail) => {
    const child = spawn(process.execPath, [cli, "serve", ...args, "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] })
    let out = ""
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m !== null) done({ url: m[1]!, stop: () => child.kill("SIGTERM") })
    })
    child.once("exit", (code) => fail(new Error(`serve exited ${code}: ${out}`)))
  })

const waitReady = async (url: string) => {
  for (;;) {
    const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string; message: string; loadMs: number | null; index: unknown }
    if (health.status === "ready") return health
    if (health.status === "error") throw new Error(health.message)
    await new Promise((r) => setTimeout(r, 200))
  }
}

const load = (url: string, ids: ReadonlyArray<number>, connections: number, duration: number) => {
  let next = 0
  return autocannon({
    url,
    connections,
    duration,
    requests: [
      {
        setupRequest: (request) => {
          request.path = `/api/match/${ids[next++ % ids.length]}`
          return request
        }
      }
    ]
  })
}

const report = (label: string, r: autocannon.Result) =>
  console.log(
    `${label.padEnd(16)} ${r.requests.average.toFixed(0).padStart(6)} req/s   latency p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, ` +
      `p99 ${r.latency.p99} ms, max ${r.latency.max} ms   (${r.requests.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors)`
  )

export const main = async (args: ReadonlyArray<string>): Promise<void> => {
  const profiles = Number(flag(args, "profiles", "1000000"))
  const connections = Number(flag(args, "connections", "16"))
  const duration = Number(flag(args, "duration", "20"))
  const out = resolve(flag(args, "out", join(root, "out", `bench-serve-${profiles}`)))
  const runArgs = ["pipelines/full.yaml", "--set", `params.profiles=${profiles}`, "--set", `layers.store.dir=${out}`]

  console.log(`run: pipelines/full.yaml --until index with ${profiles.toLocaleString("en-US")} profiles in ${out} (reused when already there)`)
  const started = performance.now()
  const run = spawnSync(process.execPath, [cli, "run", ...runArgs, "--until", "index", "--progress", "off"], { cwd: root, encoding: "utf8" })
  if (run.status !== 0) throw new Error(`pipeline run failed:\n${run.stdout}\n${run.stderr}`)
  console.log(`run ready in ${((performance.now() - started) / 1000).toFixed(1)} s`)

  const server = await startServer(runArgs)
  try {
    const health = await waitReady(server.url)
    console.log(`serve: ${health.message}; loaded in ${health.loadMs} ms; index ${JSON.stringify(health.index)}`)
    const rng = forChunk(7, 0, 0x5e4e)
    const ids = Array.from({ length: 10_000 }, () => 1 + rng.below(profiles))
    await load(server.url, ids, 2, 3) // warm-up: page cache, JIT
    report("1 connection", await load(server.url, ids, 1, Math.min(duration, 10)))
    report(`${connections} connections`, await load(server.url, ids, connections, duration))
  } finally {
    server.stop()
  }
}
