/** The `pipeline` command as a user runs it: exit codes, messages, help, and the read-only verbs. */
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { tempDir, writePipeline } from "./harness.js"
import { pipelineCliAsync } from "./cli-process.js"

const root = resolve(import.meta.dirname, "../..")
const pipelineCli = (...args: Array<string>) => pipelineCliAsync(args)

const small = `
pipeline: small
layers: { store: { dir: $OUT }, progress: { mode: off } }
stages:
  numbers: { uses: example-numbers, with: { count: 1000, chunkSize: 100 } }
  stats: { uses: example-stats, needs: [numbers] }
  histogram: { uses: example-histogram, needs: [numbers] }
  report: { uses: example-report, inputs: { stats: stats, histogram: histogram } }
`

const summaryKinds = join(root, "test", "fixtures", "modules", "summary-kinds.ts")
const withSummaryKinds = (stages: string) => `
pipeline: summary
kinds: [${summaryKinds}]
layers: { store: { dir: $OUT }, progress: { mode: off } }
stages:
${stages}`
/** The fixture's LONG_ERROR (test/fixtures/modules/summary-kinds.ts), which must reach the user whole. */
const LONG_ERROR_LINES = [
  "factory 'HNSW32x' is not valid: Error in void faiss::index_factory(...) at faiss/index_factory.cpp:912: could not parse the index description 'HNSW32x'",
  "the last line of the message, which must not be cut"
]

beforeAll(() => {
  if (!existsSync(join(root, "dist", "runtime", "cli", "main.js"))) throw new Error("run `npm run build` first")
})

describe("pipeline CLI", () => {
  it("prints help for every verb and exits 0", async () => {
    for (const verb of ["run", "plan", "validate", "list", "graph", "runs", "show", "serve"]) {
      const r = (await pipelineCli(verb, "--help"))
      expect(r.code, verb).toBe(0)
      expect(r.out).toContain(`Usage: pipeline ${verb}`)
    }
    expect((await pipelineCli("--help")).out).toContain("Commands:")
  })

  it("exits 2 with file:line:column for an invalid pipeline", async () => {
    const file = writePipeline(tempDir(), "pipeline: bad\nstages:\n  a:\n    uses: example-numbrs\n")
    const r = (await pipelineCli("validate", file))
    expect(r.code).toBe(2)
    expect(r.err).toContain(`${file}:4:11`)
    expect(r.err).toContain("did you mean 'example-numbers'?")
  })

  it("exits 2 for unknown verbs and flags, with a suggestion", async () => {
    expect((await pipelineCli("plna")).code).toBe(2)
    expect((await pipelineCli("plna")).err).toContain("did you mean 'plan'?")
    const r = (await pipelineCli("run", "pipelines/full.yaml", "--concurency", "2"))
    expect(r.code).toBe(2)
    expect(r.err).toContain("did you mean 'concurrency'?")
    expect((await pipelineCli("serv")).err).toContain("did you mean 'serve'?")
    const port = (await pipelineCli("serve", "pipelines/quick.yaml", "--port", "70000"))
    expect(port.code).toBe(2)
    expect(port.err).toContain("--port: expected an integer from 0 to 65535, found '70000'")
  })

  it("runs, then plans reuse, lists history, and shows a run", async () => {
    const dir = tempDir()
    const file = writePipeline(dir, small)
    // A first run's "why" is short: no sentence repeated per input.
    const fresh = (await pipelineCli("plan", file))
    expect(fresh.out).toMatch(/numbers\s+example-numbers\s+run\s+never ran\n/)
    expect(fresh.out).toMatch(/report\s+example-report\s+run\s+inputs will be rebuilt\n/)
    expect(fresh.out).toContain("is still reused if the rebuilt inputs' bytes do not change")
    const first = (await pipelineCli("run", file))
    expect(first.code, first.err).toBe(0)
    expect(first.out).toMatch(/numbers\s+example-numbers\s+succeeded\s+1/)
    const plan = (await pipelineCli("plan", file, "--set", "stages.histogram.with.bins=3"))
    expect(plan.code).toBe(0)
    expect(plan.out).toMatch(/numbers\s+example-numbers\s+reuse/)
    expect(plan.out).toMatch(/histogram\s+example-histogram\s+run\s+config\.bins 10 -> 3/)
    const runs = (await pipelineCli("runs", file))
    const runId = /(\d{8}-\d{6}-[0-9a-f]{4})\s+small\s+succeeded/.exec(runs.out)?.[1]
    expect(runId).toBeDefined()
    const show = (await pipelineCli("show", runId!, file))
    expect(show.code).toBe(0)
    expect(show.out).toContain(`run ${runId}: pipeline 'small'`)
    expect(show.out).toMatch(/numbers\s+1\s+succeeded/)
    expect((await pipelineCli("show", "20000101-000000-dead", file)).code).toBe(2)
  })

  it("prints the DAG as Mermaid and DOT, and lists stage kinds with defaults", async () => {
    const file = writePipeline(tempDir(), small)
    const mermaid = (await pipelineCli("graph", file)).out
    expect(mermaid).toContain("flowchart LR")
    expect(mermaid).toContain("stats -->|stats| report")
    expect((await pipelineCli("graph", file, "--format", "dot")).out).toContain('"histogram" -> "report" [label="histogram"];')
    const list = (await pipelineCli("list")).out
    expect(list).toContain("example-numbers (version 1)")
    expect(list).toMatch(/chunkSize: .*default 10000/)
  })

  it("ends a run with a summary: outcome, report, data and dashboard, for a reused run too", async () => {
    const dir = tempDir()
    const file = writePipeline(
      dir,
      withSummaryKinds(`  numbers: { uses: example-numbers, with: { count: 1000, chunkSize: 100 } }
  index: { uses: fake-index }
  report: { uses: quick-report, needs: [numbers] }
`)
    )
    for (const [n, counts] of [[1, "3 ran, 0 reused"], [2, "0 ran, 3 reused"]] as const) {
      const r = (await pipelineCli("run", file))
      expect(r.code, r.err).toBe(0)
      expect(r.out, `run ${n}`).toMatch(new RegExp(`run \\d{8}-\\d{6}-[0-9a-f]{4} succeeded in .*\\(${counts};`))
      expect(r.out).toMatch(/\n {2}report: +\S+\/stages\/report\/[0-9a-f]+\/report\.html\n +\S+\/report\.txt \(text\)\n/)
      expect(r.out).toContain(`  data:      ${dir}`)
      expect(r.out).toContain(`  dashboard: npx pipeline serve ${file}\n`)
    }
    // One throughput figure: the table's rows/s is rows over the stage's time.
    const first = (await pipelineCli("run", file, "--force", "numbers", "--progress", "plain"))
    const row = /numbers\s+example-numbers\s+succeeded\s+1\s+\S+ \S+\s+1,000\s+([\d,]+)\/s/.exec(first.out)
    expect(row, first.out).not.toBeNull()
    expect(first.err).toContain(`(1,000 values, ${row![1]} values/s)`)
  })

  it("prints a failed stage's whole error in the summary and in show", async () => {
    const file = writePipeline(
      tempDir(),
      withSummaryKinds(`  broken: { uses: long-failure }
  after: { uses: quick-report, needs: [broken] }
`)
    )
    const r = (await pipelineCli("run", file))
    expect(r.code).toBe(1)
    expect(r.out).toContain(`stage broken failed:\n  ${LONG_ERROR_LINES[0]}\n  ${LONG_ERROR_LINES[1]}\n`)
    expect(r.out).toContain("skipped (an upstream stage did not succeed): after")
    expect(r.out).toContain(`After a fix, rerun (finished stages are reused): npx pipeline run ${file}`)
    const runId = /run (\d{8}-\d{6}-[0-9a-f]{4}) failed/.exec(r.out)?.[1]
    const show = (await pipelineCli("show", runId!, file))
    expect(show.code).toBe(0)
    expect(show.out).toMatch(/broken\s+1\s+failed\s.*see below/)
    expect(show.out).toContain(`broken (attempt 1) failed:\n  ${LONG_ERROR_LINES[0]}\n  ${LONG_ERROR_LINES[1]}`)
  })

  it("says how to go on after an interrupted run", async () => {
    const file = writePipeline(
      tempDir(),
      `pipeline: slow
layers: { store: { dir: $OUT } }
stages:
  numbers: { uses: example-numbers, with: { count: 1000, chunkSize: 100, delayMs: 1000 } }
  stats: { uses: example-stats, needs: [numbers] }
`
    )
    const child = spawn(process.execPath, [join(root, "bin", "pipeline.js"), "run", file, "--progress", "plain", "--force", "numbers"], {
      cwd: root
    })
    let out = ""
    let err = ""
    let sent = false
    child.stdout.on("data", (d: Buffer) => void (out += d.toString()))
    // Interrupt once the stage has made progress (a chunk takes a second: plenty of time to land).
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString()
      // Once: a second signal exits at once, without the table.
      if (!sent && /\[numbers\] \d+\/1,000 values/.test(err)) sent = child.kill("SIGINT")
    })
    const code = await new Promise<number | null>((done) => child.on("close", done))
    expect(code, err).toBe(130)
    expect(out).toContain("interrupted numbers; not started stats. To go on (finished stages are reused, committed chunks resumed):")
    // --force is left out: it would throw away the committed chunks.
    expect(out).toContain(`\n  npx pipeline run ${file} --progress plain\n`)
  })
})
