/**
 * User modules through the shipped `pipeline` command (a child process, as a user runs it): a
 * pipeline's `kinds:` loads a TypeScript module with a stage kind, a layer setting and a worker task
 * (run on real worker threads), beside shipped kinds; bad entries are exit 2 at their line and column.
 */
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { shippedCatalog } from "../../src/runtime/modules/catalog.js"
import { runPipelineIn } from "../../src/runtime/run-pipeline.js"
import { RunLedgerMemory } from "../../src/layers/ledger/memory-ledger.js"
import { WorkerPoolInline } from "../../src/layers/workers/inline.js"
import { tempDir, writePipeline } from "./harness.js"
import { pipelineCliAsync } from "./cli-process.js"

const root = resolve(import.meta.dirname, "../..")
const modules = join(root, "test", "fixtures", "modules")
const pipelineCli = (...args: Array<string>) => pipelineCliAsync(args)

const withModule = (module: string, extra = "") => `
pipeline: mods
kinds: [${join(modules, module)}]
layers: { store: { dir: $OUT }, progress: { mode: off }, workers: { size: 2 }${extra} }
stages:
  numbers: { uses: example-numbers, with: { count: 100, chunkSize: 50 } }
  tally: { uses: tally, with: { count: 1000 } }
`

beforeAll(() => {
  if (!existsSync(join(root, "dist", "index.js"))) throw new Error("run `npm run build` first")
})

describe("user modules", () => {
  it("runs a user's kind beside shipped ones, with its layer setting and its task on a worker thread", async () => {
    const dir = tempDir()
    const file = writePipeline(dir, withModule("tally.ts", ", scale: { factor: 3 }"))
    const r = (await pipelineCli("run", file))
    expect(r.err).toBe("")
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/tally\s+tally\s+succeeded/)
    const [written] = spawnSync("sh", ["-c", `cat ${join(dir, "out", "stages", "tally")}/*/tally.json`], { encoding: "utf8" }).stdout.split("\n")
    expect(JSON.parse(written!)).toEqual({ total: 3 * 500500, thread: true })
    // Unchanged: reused. A changed layer setting is not a result layer of the kind: still reused.
    expect((await pipelineCli("run", file)).out).toMatch(/tally\s+tally\s+reused/)
  })

  it("lists the module's kind, layer and task, marked with where they came from", async () => {
    const file = writePipeline(tempDir(), withModule("tally.ts"))
    const r = (await pipelineCli("list", file))
    expect(r.code).toBe(0)
    expect(r.out).toContain(`tally (version 1)  [from ${join(modules, "tally.ts")}]`)
    expect(r.out).toContain("example-numbers (version")
    expect(r.out).toContain("layers.scale")
    expect(r.out).toContain("factor: integer (positive) (default 1) — the multiplier")
    expect(r.out).toContain("fixture/sum")
    expect((await pipelineCli("list")).out).not.toContain("tally (version 1)")
  })

  it("validates a user layer's settings with a did-you-mean", async () => {
    const file = writePipeline(tempDir(), withModule("tally.ts", ", scale: { factr: 3 }"))
    const r = (await pipelineCli("validate", file))
    expect(r.code).toBe(2)
    expect(r.err).toContain("layers.scale.factr")
    expect(r.err).toContain("did you mean 'factor'?")
  })

  const badEntry = async (module: string) => {
    const file = writePipeline(tempDir(), `pipeline: bad\nkinds:\n  - ${module}\nstages:\n  a: { uses: example-numbers, with: { count: 10 } }\n`)
    return { file, ...(await pipelineCli("validate", file)) }
  }

  it("exits 2 at the entry's line and column for a module that is missing, throws, exports nothing or is malformed", async () => {
    const missing = await badEntry("./no-such-module.ts")
    expect(missing.code).toBe(2)
    expect(missing.err).toContain(`${missing.file}:3:5: kinds: module './no-such-module.ts' not found`)

    const throws = await badEntry(join(modules, "throws.ts"))
    expect(throws.code).toBe(2)
    expect(throws.err).toContain(`${throws.file}:3:5`)
    expect(throws.err).toContain("tally configuration is missing")

    const empty = await badEntry(join(modules, "empty.ts"))
    expect(empty.code).toBe(2)
    expect(empty.err).toContain("exports no stage kinds, layer definitions or worker tasks")

    const malformed = await badEntry(join(modules, "malformed.ts"))
    expect(malformed.code).toBe(2)
    expect(malformed.err).toContain("export 'broken' is a malformed stage kind: it lacks a `config` Schema")
    expect(malformed.err).toContain("a `run` function")

    const clash = await badEntry(join(modules, "clash.ts"))
    expect(clash.code).toBe(2)
    expect(clash.err).toContain("defines kind 'example-numbers', which clashes with a shipped one")

    const pkg = await badEntry("no-such-package")
    expect(pkg.code).toBe(2)
    expect(pkg.err).toContain("cannot find package 'no-such-package'")
  })

  it("exits 2 when kinds is not a list of modules", async () => {
    const file = writePipeline(tempDir(), "pipeline: bad\nkinds: ./tally.ts\nstages:\n  a: { uses: example-numbers, with: { count: 10 } }\n")
    const r = (await pipelineCli("validate", file))
    expect(r.code).toBe(2)
    expect(r.err).toContain(`${file}:2:8: kinds: expected a list of modules`)
  })

  it("retries a retryable StageError made by another copy of the package (decided by tag)", async () => {
    const file = writePipeline(
      tempDir(),
      `pipeline: flaky\nkinds: [${join(modules, "tally.ts")}]\nstages:\n  f: { uses: flaky, retry: { times: 2, base: 1ms } }\n`
    )
    const summary = await Effect.runPromise(
      runPipelineIn(shippedCatalog([]))({
        pipeline: file,
        ledger: RunLedgerMemory.layer,
        layers: {},
        services: WorkerPoolInline.layer as never
      })
    )
    expect(summary.status).toBe("succeeded")
    expect(summary.stages[0]).toMatchObject({ id: "f", outcome: "succeeded", attempts: 2 })
    expect(readFileSync((summary.stages[0]!.artifact as unknown as { path: string }).path, "utf8")).toBe('{"attempt":2}')
  })
})
