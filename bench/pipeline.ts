/**
 * `npm run bench -- pipeline [--file pipelines/full.yaml] [--param profiles] [--sizes 100000,1000000]`:
 * runs a pipeline from scratch at each size through the real CLI (a fresh output directory each
 * time, so nothing is reused) and prints its stage table (time, rows/s), peak memory and wall time.
 */
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

const flag = (args: ReadonlyArray<string>, name: string, fallback: string): string => {
  const eq = args.find((a) => a.startsWith(`${name}=`))
  if (eq !== undefined) return eq.slice(name.length + 1)
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback
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
    rmSync(out, { recursive: true, force: true })
  }
}
