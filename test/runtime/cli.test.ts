/** The `pipeline` command as a user runs it: exit codes, messages, help, and the read-only verbs. */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { tempDir, writePipeline } from "./harness.js"

const root = resolve(import.meta.dirname, "../..")
const pipelineCli = (...args: Array<string>) => {
  const r = spawnSync(process.execPath, [join(root, "bin", "pipeline.js"), ...args], { cwd: root, encoding: "utf8", timeout: 30_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

const small = `
pipeline: small
layers: { store: { dir: $OUT }, progress: { mode: off } }
stages:
  numbers: { uses: example-numbers, with: { count: 1000, chunkSize: 100 } }
  stats: { uses: example-stats, needs: [numbers] }
  histogram: { uses: example-histogram, needs: [numbers] }
  report: { uses: example-report, inputs: { stats: stats, histogram: histogram } }
`

beforeAll(() => {
  if (!existsSync(join(root, "dist", "runtime", "cli", "main.js"))) throw new Error("run `npm run build` first")
})

describe("pipeline CLI", () => {
  it("prints help for every verb and exits 0", () => {
    for (const verb of ["run", "plan", "validate", "list", "graph", "runs", "show", "serve"]) {
      const r = pipelineCli(verb, "--help")
      expect(r.code, verb).toBe(0)
      expect(r.out).toContain(`Usage: pipeline ${verb}`)
    }
    expect(pipelineCli("--help").out).toContain("Commands:")
  })

  it("exits 2 with file:line:column for an invalid pipeline", () => {
    const file = writePipeline(tempDir(), "pipeline: bad\nstages:\n  a:\n    uses: example-numbrs\n")
    const r = pipelineCli("validate", file)
    expect(r.code).toBe(2)
    expect(r.err).toContain(`${file}:4:11`)
    expect(r.err).toContain("did you mean 'example-numbers'?")
  })

  it("exits 2 for unknown verbs and flags, with a suggestion", () => {
    expect(pipelineCli("plna").code).toBe(2)
    expect(pipelineCli("plna").err).toContain("did you mean 'plan'?")
    const r = pipelineCli("run", "pipelines/full.yaml", "--concurency", "2")
    expect(r.code).toBe(2)
    expect(r.err).toContain("did you mean 'concurrency'?")
    expect(pipelineCli("serv").err).toContain("did you mean 'serve'?")
    const port = pipelineCli("serve", "pipelines/quick.yaml", "--port", "70000")
    expect(port.code).toBe(2)
    expect(port.err).toContain("--port: expected an integer from 0 to 65535, found '70000'")
  })

  it("runs, then plans reuse, lists history, and shows a run", () => {
    const dir = tempDir()
    const file = writePipeline(dir, small)
    const first = pipelineCli("run", file)
    expect(first.code, first.err).toBe(0)
    expect(first.out).toMatch(/numbers\s+example-numbers\s+succeeded\s+1/)
    const plan = pipelineCli("plan", file, "--set", "stages.histogram.with.bins=3")
    expect(plan.code).toBe(0)
    expect(plan.out).toMatch(/numbers\s+example-numbers\s+reuse/)
    expect(plan.out).toMatch(/histogram\s+example-histogram\s+run\s+config\.bins 10 -> 3/)
    const runs = pipelineCli("runs", file)
    const runId = /(\d{8}-\d{6}-[0-9a-f]{4})\s+small\s+succeeded/.exec(runs.out)?.[1]
    expect(runId).toBeDefined()
    const show = pipelineCli("show", runId!, file)
    expect(show.code).toBe(0)
    expect(show.out).toContain(`run ${runId}: pipeline 'small'`)
    expect(show.out).toMatch(/numbers\s+1\s+succeeded/)
    expect(pipelineCli("show", "20000101-000000-dead", file).code).toBe(2)
  })

  it("prints the DAG as Mermaid and DOT, and lists stage kinds with defaults", () => {
    const file = writePipeline(tempDir(), small)
    const mermaid = pipelineCli("graph", file).out
    expect(mermaid).toContain("flowchart LR")
    expect(mermaid).toContain("stats -->|stats| report")
    expect(pipelineCli("graph", file, "--format", "dot").out).toContain('"histogram" -> "report" [label="histogram"];')
    const list = pipelineCli("list").out
    expect(list).toContain("example-numbers (version 1)")
    expect(list).toMatch(/chunkSize: .*default 10000/)
  })
})
