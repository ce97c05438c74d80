/**
 * `npm run bench -- pipeline [--file pipelines/full.yaml] [--param profiles] [--sizes 100000,1000000]`:
 * runs a pipeline from scratch at each size through the real CLI (a fresh output directory each
 * time, so nothing is reused) and prints its stage table (time, rows/s), peak memory and wall time,
 * then when each stage ran and the data stages' span together (rows/s over that span).
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

const flag = (args: ReadonlyArray<string>, name: string, fallback: string): string => {
  const eq = args.find((a) => a.startsWith(`${name}=`))
  if (eq !== undefined) return eq.slice(name.length + 1)
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback
}

/** The data stage kinds: their span together is the "data stages" throughput. */
const DATA_KINDS = new Set(["generate-profiles", "feature-vectors", "embeddings"])

/**
 * When each stage ran (from the run's events) and the span of the data stages together: from the
 * first one's start to the last one's end, with the rows/s that span gives.
 */
const timeline = (stdout: string, out: string, rows: number): string => {
  const kinds = new Map<string, string>()
  for (const line of stdout.split("\n")) {
    const [id, kind, outcome] = line.trim().split(/\s+/)
    if (id !== undefined && kind !== undefined && outcome === "succeeded") kinds.set(id, kind)
  }
  const runs = readdirSync(join(out, "runs"))
  const events = readFileSync(join(out, "runs", runs[runs.length - 1]!, "events.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { at: string; type: string; stage: string | null })
  const t0 = Date.parse(events[0]!.at)
  const spans = new Map<string, { start: number; end: number }>()
  for (const e of events) {
    if (e.stage === null) continue
    const t = (Date.parse(e.at) - t0) / 1000
    if (e.type === "attempt-started") spans.set(e.stage, { start: t, end: t })
    if (e.type === "attempt-succeeded") spans.get(e.stage)!.end = t
  }
  const lines = [...spans].map(([id, s]) => `  ${id.padEnd(18)} ${s.start.toFixed(1).padStart(6)} s -> ${s.end.toFixed(1).padStart(6)} s`)
  const data = [...spans].filter(([id]) => DATA_KINDS.has(kinds.get(id) ?? ""))
  if (data.length > 0) {
    const start = Math.min(...data.map(([, s]) => s.start))
    const end = Math.max(...data.map(([, s]) => s.end))
    lines.push(
      `  data stages (${data.map(([id]) => id).join(", ")}) together: ${(end - start).toFixed(1)} s, ` +
        `${Math.round(rows / (end - start)).toLocaleString("en-US")} profiles/s`
    )
  }
  return ["timeline (since the run started):", ...lines].join("\n")
}

export const main = async (args: ReadonlyArray<string>): Promise<void> => {
  const root = resolve(import.meta.dirname, "..")
  const file = flag(args, "--file", "pipelines/full.yaml")
  const param = flag(args, "--param", "profiles")
  const sizes = flag(args, "--sizes", "100000,1000000").split(",").map(Number)
  for (const size of sizes) {
    const out = mkdtempSync(join(tmpdir(), "bench-pipeline-"))
    const started = performance.now()
    const run = spawnSync(
      process.execPath,
      [join(root, "bin", "pipeline.js"), "run", file, "--set", `params.${param}=${size}`, "--set", `layers.store.dir=${out}`, "--progress", "off"],
      { cwd: root, encoding: "utf8" }
    )
    const wall = (performance.now() - started) / 1000
    console.log(`\n--- ${file} with ${param}=${size.toLocaleString("en-US")}: exit ${run.status}, wall ${wall.toFixed(2)} s (process start included)`)
    console.log(run.stdout.trim())
    if (run.status !== 0) console.log(run.stderr.trim())
    else console.log(timeline(run.stdout, out, size))
    rmSync(out, { recursive: true, force: true })
  }
}
