/**
 * A pipeline's defaults resolve in the project its file belongs to (the nearest directory with a
 * package.json or a config/), not in the current directory: out/<pipeline>, config/default.yaml,
 * and a relative layers.store.dir.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { projectDirOf } from "../../src/runtime/spec/project-dir.js"
import { tempDir } from "./harness.js"
import { pipelineCliAsync } from "./cli-process.js"

const pipelineCli = (cwd: string, ...args: Array<string>) => pipelineCliAsync(args, { cwd })

const project = () => {
  const dir = tempDir("pipeline-project-")
  writeFileSync(join(dir, "package.json"), "{}\n")
  mkdirSync(join(dir, "config"))
  mkdirSync(join(dir, "pipelines", "nested"), { recursive: true })
  const file = join(dir, "pipelines", "nested", "p.yaml")
  writeFileSync(file, "pipeline: proj\nlayers: { progress: { mode: off } }\nstages:\n  numbers: { uses: example-numbers, with: { count: 100 } }\n")
  return { dir, file }
}

describe("project directory", () => {
  it("is the nearest directory with a package.json or a config/ above the file", async () => {
    const { dir, file } = project()
    expect(projectDirOf(file)).toBe(dir)
    const bare = tempDir("pipeline-bare-")
    expect(projectDirOf(join(bare, "x.yaml"))).toBe(bare)
  })

  it("puts out/<pipeline> in the project and reads its config/default.yaml, from any working directory", async () => {
    const { dir, file } = project()
    writeFileSync(join(dir, "config", "default.yaml"), "stages:\n  numbers:\n    with: { seed: 7 }\n")
    const elsewhere = tempDir("pipeline-cwd-")
    const r = (await pipelineCli(elsewhere, "run", file))
    expect(r.err).toBe("")
    expect(r.code).toBe(0)
    expect(existsSync(join(dir, "out", "proj", "ledger.sqlite"))).toBe(true)
    expect(existsSync(join(elsewhere, "out"))).toBe(false)
    const plan = (await pipelineCli(elsewhere, "plan", file, "--set", "stages.numbers.with.seed=7"))
    expect(plan.out).toMatch(/numbers\s+example-numbers\s+reuse/)
  })

  it("resolves a relative layers.store.dir against the project", async () => {
    const { dir, file } = project()
    const r = (await pipelineCli(tempDir("pipeline-cwd-"), "run", file, "--set", "layers.store.dir=data/here"))
    expect(r.code).toBe(0)
    expect(existsSync(join(dir, "data", "here", "ledger.sqlite"))).toBe(true)
  })
})
