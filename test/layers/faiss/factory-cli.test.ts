/**
 * A hostile factory string in a pipeline file, through the `pipeline` command (bin/pipeline.js,
 * which runs dist/: `npm run build` first): `validate` and `run` both end with exit 2 and one
 * message naming the file, the line of the `factory:` and what is wrong with it, and nothing is
 * written (the output directory is never created). The strings are ones FAISS 1.7.3 aborts on, hangs
 * on or overflows its parser's stack with when unchecked.
 */
import { describe, expect, it } from "vitest"
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { runPipelineCli } from "../../runtime/cli-process.js"

/** The 1-based line of `factory:` in the file `pipelineFile` writes. */
const FACTORY_LINE = 16

/** A small pipeline whose index stage is built from `factory`, storing under `store`. */
const pipelineFile = (factory: string, store: string) =>
  [
    "pipeline: hostile-factory",
    "layers:",
    `  store: { dir: ${JSON.stringify(store)} }`,
    "stages:",
    "  profiles:",
    "    uses: generate-profiles",
    "    with: { count: 100, seed: 1, locale: pt_BR, chunkSize: 100 }",
    "  embeddings:",
    "    uses: embeddings",
    "    needs: [profiles]",
    "    with: { dim: 16, mode: attributes, seed: 1 }",
    "  index:",
    "    uses: ann-index",
    "    inputs: { embeddings: embeddings }",
    "    with:",
    `      factory: ${JSON.stringify(factory)}`,
    "      metric: l2",
    ""
  ].join("\n")

/** Each hostile string with what its message must say about it. */
const hostile: ReadonlyArray<readonly [name: string, factory: string, says: RegExp]> = [
  ["PQ8x99 (an assert() in FAISS: abort)", "PQ8x99", /component "PQ8x99": bits = 99 must be in \[1, 16\]/],
  ["NSG32,Flat (hangs or dies building)", "NSG32,Flat", /component "NSG32": NSG indexes are not supported/],
  ["100,000 characters (overflows FAISS's parser's stack)", "x".repeat(100_000), /at most 256 characters/]
]

describe("a hostile factory string in a pipeline file", () => {
  for (const [name, factory, says] of hostile) {
    it(`${name}: validate and run exit 2 naming the file, line and component, and write nothing`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "factory-cli-"))
      try {
        const file = join(dir, "pipeline.yaml")
        const store = join(dir, "out")
        writeFileSync(file, pipelineFile(factory, store))
        for (const command of [["validate", file], ["run", file, "--progress", "plain"]]) {
          const result = await runPipelineCli(command, { cwd: dir })
          const output = result.stdout + result.stderr
          expect(result.signal, output.slice(0, 2000)).toBeNull()
          expect(result.status, output.slice(0, 2000)).toBe(2)
          const located = output.split("\n").find((line) => line.includes(`${file}:${FACTORY_LINE}:`))
          expect(located, output.slice(0, 2000)).toBeDefined()
          expect(located).toMatch(/stages\.index\.with\.factory: FAISS cannot build/)
          expect(located).toMatch(says)
          // The message quotes a long string cut, not whole.
          expect(output.length).toBeLessThan(2000)
          expect(readdirSync(dir), command[0]).toEqual(["pipeline.yaml"])
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })
  }
})
