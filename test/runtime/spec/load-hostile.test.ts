/**
 * Hostile input to the loader, through the real CLI (`pipeline run`): alias bombs, devices and
 * FIFOs, oversized files, too many values, stages or levels, prototype names in every place a
 * name can go, undecodable bytes, empty stages and bad config directories. Each family is
 * generated, not listed. Every case must end with exit 2, a message naming where (file and line,
 * the command-line flag, or the limit), and no output directory in its project. The child runs
 * with a 256 MB heap, so an unbounded expansion would crash it instead of passing.
 *
 * Prototype names are many cases and no risk to memory: every one goes through the loader in
 * process (the same openPipeline the CLI calls), and one name per place through the CLI as well.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Exit } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { formatIssue } from "../../../src/runtime/errors.js"
import { shippedCatalog } from "../../../src/runtime/modules/catalog.js"
import type { ParsedArgs } from "../../../src/runtime/cli/args.js"
import { loadFromArgs } from "../../../src/runtime/cli/load.js"
import { shippedModule } from "../../../src/shipped.js"
import { MAX_DEPTH, MAX_FILE_BYTES, MAX_STAGES, MAX_VALUES } from "../../../src/runtime/spec/limits.js"
import { runPipelineCli } from "../cli-process.js"

const roots: Array<string> = []
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true })
})

/** A fresh project directory (package.json marks it), where `out/` must never appear. */
const project = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-"))
  roots.push(dir)
  fs.writeFileSync(path.join(dir, "package.json"), "{}")
  return dir
}

const write = (dir: string, rel: string, content: string | Uint8Array): string => {
  const file = path.join(dir, rel)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, content)
  return file
}

const STAGE = "  nums:\n    uses: example-numbers\n"
const pipelineText = (stages = STAGE, extra = ""): string => `pipeline: hostile\nparams:\n  n: 10\n${extra}stages:\n${stages}`

interface Case {
  readonly name: string
  /** Builds the case in `dir`: the pipeline file and extra arguments. */
  readonly make: (dir: string) => { readonly file: string; readonly args?: ReadonlyArray<string> }
  /** What the message must contain to say where (a file:line:column, a flag) and what. */
  readonly expect: (dir: string, file: string) => ReadonlyArray<string | RegExp>
}

/** Runs each case as `pipeline run` in its own project and checks the contract. */
const check = async (c: Case): Promise<void> => {
  const dir = project()
  const { file, args = [] } = c.make(dir)
  const r = await runPipelineCli(["run", file, ...args], { cwd: dir, env: { NODE_OPTIONS: "--max-old-space-size=256" } })
  const output = r.stdout + r.stderr
  const context = `${c.name}: status ${r.status} signal ${r.signal}\n${output.slice(0, 2000)}`
  expect(r.signal, context).toBeNull()
  expect(r.status, context).toBe(2)
  expect(output, context).toMatch(/problems? in the pipeline/)
  expect(output, context).not.toMatch(/unexpected error|\n\s+at /)
  for (const part of c.expect(dir, file)) {
    if (typeof part === "string") expect(output, context).toContain(part)
    else expect(output, context).toMatch(part)
  }
  expect(fs.existsSync(path.join(dir, "out")), `${c.name}: wrote out/`).toBe(false)
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
/** `file:LINE:COL:` with any line and column, or the given ones. */
const at = (file: string, line?: number, column?: number): RegExp =>
  new RegExp(`${escape(file)}:${line ?? "\\d+"}:${column ?? "\\d+"}:`)

/** An alias bomb: `levels` anchors, each a list of `width` aliases of the one before. */
const aliasBomb = (levels: number, width: number, indent: string): string => {
  const lines = [`${indent}a0: &a0 [${Array(width).fill("lol").join(", ")}]`]
  for (let i = 1; i < levels; i++) lines.push(`${indent}a${i}: &a${i} [${Array(width).fill(`*a${i - 1}`).join(", ")}]`)
  return lines.join("\n") + "\n"
}
/** The same bomb as one flow value, for --set. */
const flowBomb = (levels: number, width: number): string => {
  const items = [`&a0 [${Array(width).fill("lol").join(", ")}]`]
  for (let i = 1; i < levels; i++) items.push(`&a${i} [${Array(width).fill(`*a${i - 1}`).join(", ")}]`)
  return `[${items.join(", ")}]`
}

/**
 * Every case through the loader in process; those `throughCli` picks also as `pipeline run` in a
 * child process (a few at a time: vitest's maxConcurrency), for the exit code, the printed message
 * and the 256 MB heap. The CLI costs a second of CPU a case, so each family sends its riskiest
 * cases there (the biggest expansions, a few roles for one kind of file) rather than all of them.
 */
const runCases = (cases: ReadonlyArray<Case>, throughCli: (c: Case) => boolean = () => true) => {
  for (const c of cases) it(`${c.name} (in process)`, () => checkInProcess(c))
  for (const c of cases.filter(throughCli)) it.concurrent(`${c.name} (CLI)`, () => check(c))
}

const catalog = shippedCatalog([shippedModule])

/** The flags a case passes, parsed as the CLI parses them for its loader (loadFromArgs). */
const parsedArgs = (file: string, args: ReadonlyArray<string>): ParsedArgs => {
  const sets: Array<string> = []
  const strings = new Map<string, string>()
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!.replace(/^--/, "")
    if (flag === "set") sets.push(args[i + 1]!)
    else if (flag === "profile" || flag === "config-dir") strings.set(flag, args[i + 1]!)
    else throw new Error(`unexpected flag ${args[i]}`)
  }
  return { positionals: [file], strings, lists: new Map([["set", sets]]), booleans: new Set(), ints: new Map() }
}

/** The same contract in process: refused as invalid, located, nothing written. */
const checkInProcess = async (c: Case): Promise<void> => {
  const dir = project()
  const { file, args = [] } = c.make(dir)
  const exit = await Effect.runPromiseExit(loadFromArgs(file, parsedArgs(file, args), catalog))
  expect(Exit.isFailure(exit), `${c.name}: accepted`).toBe(true)
  if (Exit.isSuccess(exit)) return
  const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  expect(error?._tag, `${c.name}: ${String(exit.cause)}`).toBe("PipelineInvalid")
  const output = error!.issues.map((i) => formatIssue(i)).join("\n")
  for (const part of c.expect(dir, file)) {
    if (typeof part === "string") expect(output, c.name).toContain(part)
    else expect(output, c.name).toMatch(part)
  }
  expect(fs.existsSync(path.join(dir, "out")), `${c.name}: wrote out/`).toBe(false)
}

describe("hostile input: every case exits 2 with a located message and writes nothing", () => {
  describe("alias expansion is bounded", () => {
    // Widths and depths whose expansion is far past MAX_VALUES (width^levels values).
    const shapes = [
      [10, 9],
      [4, 20],
      [2, 40]
    ] as const
    const cases: Array<Case> = []
    for (const [width, levels] of shapes) {
      const bomb = aliasBomb(levels, width, "  ")
      cases.push(
        {
          name: `in the pipeline file (${width}^${levels})`,
          make: (d) => ({ file: write(d, "p.yaml", pipelineText(STAGE, `description:\n  x: 1\nbomb:\n${bomb}`)) }),
          expect: (_, f) => [at(f), `more than ${MAX_VALUES} values`]
        },
        {
          name: `in a stage's with: (${width}^${levels})`,
          make: (d) => ({
            file: write(d, "p.yaml", `pipeline: hostile\nanchors:\n${bomb}stages:\n  nums:\n    uses: example-numbers\n    with: { count: *a${levels - 1} }\n`)
          }),
          expect: (_, f) => [at(f), `more than ${MAX_VALUES} values`]
        },
        {
          name: `in config/default.yaml (${width}^${levels})`,
          make: (d) => {
            write(d, "config/default.yaml", `bomb:\n${bomb}`)
            return { file: write(d, "p.yaml", pipelineText()) }
          },
          expect: () => [at("config/default.yaml"), `more than ${MAX_VALUES} values`]
        },
        {
          name: `in a profile (${width}^${levels})`,
          make: (d) => {
            write(d, "config/big.yaml", `params:\n${bomb}`)
            return { file: write(d, "p.yaml", pipelineText()), args: ["--profile", "big"] }
          },
          expect: () => [at("config/big.yaml"), `more than ${MAX_VALUES} values`]
        },
        {
          name: `in a --set value (${width}^${levels})`,
          make: (d) => ({ file: write(d, "p.yaml", pipelineText()), args: ["--set", `params.n=${flowBomb(levels, width)}`] }),
          expect: () => ["--set params.n=", `more than ${MAX_VALUES} values`]
        }
      )
    }
    cases.push({
      name: "an alias without its anchor in a --set value",
      make: (d) => ({ file: write(d, "p.yaml", pipelineText()), args: ["--set", "params.n=*nowhere"] }),
      expect: () => ["--set params.n=*nowhere", "unresolved alias"]
    })
    runCases(cases, (c) => c.name.includes("(10^9)") || c.name.includes("without its anchor"))
  })

  describe("only regular files are read, within the size limit", () => {
    const roles = [
      { role: "pipeline file", place: (d: string, make: (f: string) => void) => {
        const f = path.join(d, "p.yaml")
        make(f)
        return { file: f, shown: f, args: undefined }
      } },
      { role: "default config", place: (d: string, make: (f: string) => void) => {
        fs.mkdirSync(path.join(d, "config"), { recursive: true })
        make(path.join(d, "config", "default.yaml"))
        return { file: write(d, "p.yaml", pipelineText()), shown: "config/default.yaml", args: undefined }
      } },
      { role: "profile", place: (d: string, make: (f: string) => void) => {
        fs.mkdirSync(path.join(d, "config"), { recursive: true })
        make(path.join(d, "config", "x.yaml"))
        return { file: write(d, "p.yaml", pipelineText()), shown: "config/x.yaml", args: ["--profile", "x"] }
      } }
    ]
    const things = [
      { what: "/dev/zero (a symlink to it)", make: (f: string) => fs.symlinkSync("/dev/zero", f), says: "a device" },
      { what: "/dev/urandom (a symlink to it)", make: (f: string) => fs.symlinkSync("/dev/urandom", f), says: "a device" },
      // A FIFO with no writer: opening it blocking would hang the loader forever.
      { what: "a FIFO", make: (f: string) => execFileSync("mkfifo", [f]), says: "a FIFO" },
      { what: "a directory", make: (f: string) => fs.mkdirSync(f), says: "a directory" },
      {
        what: "a file one byte over the limit",
        make: (f: string) => fs.writeFileSync(f, `# ${"x".repeat(MAX_FILE_BYTES - 3)}\n` + "a: 1\n".slice(0, 1)),
        says: `limit of ${MAX_FILE_BYTES / (1024 * 1024)} MiB`
      },
      {
        what: "a 20 MiB file",
        make: (f: string) => fs.writeFileSync(f, "params:\n" + `  # ${"y".repeat(1020)}\n`.repeat(20 * 1024)),
        says: `limit of ${MAX_FILE_BYTES / (1024 * 1024)} MiB`
      }
    ]
    const cases: Array<Case> = []
    for (const role of roles) {
      for (const thing of things) {
        let shown = ""
        cases.push({
          name: `${thing.what} as the ${role.role}`,
          make: (d) => {
            const placed = role.place(d, thing.make)
            shown = placed.shown
            return { file: placed.file, ...(placed.args === undefined ? {} : { args: placed.args }) }
          },
          expect: () => [`${shown}: cannot read`, thing.says]
        })
      }
    }
    runCases(cases, (c) => c.name.endsWith("as the pipeline file") || c.name.startsWith("a FIFO"))
  })

  describe("values, nesting and stages are bounded", () => {
    const stagesOf = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => line(i)).join("")
    runCases([
      ...[MAX_DEPTH + 1, 1000, 100_000].flatMap((depth): Array<Case> => [
        {
          name: `${depth} nested flow lists`,
          make: (d) => ({ file: write(d, "p.yaml", pipelineText(STAGE, `description: ${"[".repeat(depth)}${"]".repeat(depth)}\n`)) }),
          expect: (_, f) => [at(f, 4), `${MAX_DEPTH} levels`]
        },
        {
          name: `${depth} nested flow maps`,
          make: (d) => ({ file: write(d, "p.yaml", pipelineText(STAGE, `description: ${"{a: ".repeat(depth)}1${"}".repeat(depth)}\n`)) }),
          expect: (_, f) => [at(f, 4), `${MAX_DEPTH} levels`]
        }
      ]),
      ...[MAX_DEPTH + 1, 3000].map((depth): Case => ({
        name: `${depth} nested block lists`,
        make: (d) => ({ file: write(d, "p.yaml", pipelineText(STAGE, `description:\n  ${"- ".repeat(depth)}x\n`)) }),
        expect: (_, f) => [at(f), `${MAX_DEPTH} levels`]
      })),
      ...[MAX_VALUES + 1, 2 * MAX_VALUES].map((n): Case => ({
        name: `a list of ${n} values`,
        make: (d) => ({ file: write(d, "p.yaml", pipelineText(STAGE, `description: [${"1,".repeat(n - 1)}1]\n`)) }),
        expect: (_, f) => [at(f, 4), `more than ${MAX_VALUES} values`]
      })),
      ...[MAX_STAGES + 1, 2 * MAX_STAGES].map((n): Case => ({
        name: `${n} stages`,
        make: (d) => ({ file: write(d, "p.yaml", pipelineText(stagesOf(n, (i) => `  s${i}: x\n`))) }),
        expect: (_, f) => [at(f, 5), `limit of ${MAX_STAGES} stages`]
      })),
      {
        name: "400,000 stages (past the file size limit)",
        make: (d) => ({ file: write(d, "p.yaml", pipelineText(stagesOf(400_000, (i) => `  s${i}: { uses: example-numbers }\n`))) }),
        expect: (_, f) => [`${f}: cannot read`, "MiB"]
      }
      // Through the CLI, the largest of each family (the boundary cases are checked in process).
    ], (c) => /^(100000 nested|3000 nested|a list of 200000|20000 stages|400,000 stages)/.test(c.name))
  })

  describe("prototype names never reach an object lookup", () => {
    const NAMES = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"]
    // Each place puts the name where a pipeline names something; the line is the name's line.
    const places: ReadonlyArray<{ readonly place: string; readonly text: (k: string) => string; readonly line: number }> = [
      { place: "a stage id", text: (k) => pipelineText(`  ${k}:\n    uses: example-numbers\n`), line: 5 },
      { place: "a kind (uses)", text: (k) => pipelineText(`  nums:\n    uses: ${k}\n`), line: 6 },
      { place: "a with: key", text: (k) => pipelineText(`${STAGE}    with:\n      ${k}: 1\n`), line: 8 },
      { place: "an inputs name", text: (k) => pipelineText(`${STAGE}  stats:\n    uses: example-stats\n    inputs:\n      ${k}: nums\n`), line: 10 },
      { place: "a needs entry", text: (k) => pipelineText(`${STAGE}  stats:\n    uses: example-stats\n    needs:\n      - ${k}\n`), line: 10 },
      { place: "a retry key", text: (k) => pipelineText(`${STAGE}    retry:\n      ${k}: 1\n`), line: 8 },
      { place: "a layer name", text: (k) => `layers:\n  ${k}:\n    a: 1\n${pipelineText()}`, line: 2 },
      { place: "a layer setting", text: (k) => `layers:\n  workers:\n    ${k}: 1\n${pipelineText()}`, line: 3 },
      { place: "a param", text: (k) => `params:\n  ${k}: 1\npipeline: hostile\nstages:\n${STAGE}`, line: 2 },
      { place: "a resource", text: (k) => `resources:\n  ${k}: 1\npipeline: hostile\nstages:\n${STAGE}`, line: 2 },
      { place: "a top-level key", text: (k) => `${k}: 1\n${pipelineText()}`, line: 1 }
    ]
    const cases: Array<Case> = []
    for (const name of NAMES) {
      for (const p of places) {
        cases.push({
          name: `'${name}' as ${p.place}`,
          make: (d) => ({ file: write(d, "p.yaml", p.text(name)) }),
          expect: (_, f) => [at(f, p.line), name]
        })
      }
      for (const set of [`stages.${name}.x=1`, `stages.nums.${name}=1`, `stages.nums.with.${name}=1`, `layers.${name}.y=2`, `params.${name}=1`, `${name}.x=1`, `stages.nums.with={${name}: 1}`]) {
        cases.push({
          name: `--set ${set}`,
          make: (d) => ({ file: write(d, "p.yaml", pipelineText()), args: ["--set", set] }),
          expect: () => [`--set ${set}:`, name]
        })
      }
      cases.push({
        name: `--profile ${name}`,
        make: (d) => ({ file: write(d, "p.yaml", pipelineText()), args: ["--profile", name] }),
        expect: () => ["--profile:", name]
      })
    }
    // Through the CLI too for one name: the exit code and the printed message.
    runCases(cases, (c) => /^'__proto__' as (a stage id|a with: key|a layer setting)$/.test(c.name))
  })

  describe("bytes that are not UTF-8 text are refused at their line", () => {
    // The bad byte goes on line `line`, after `column - 1` characters of that line.
    const lines = pipelineText().split("\n")
    const inject = (line: number, column: number, bytes: ReadonlyArray<number>): Uint8Array => {
      const before = [...lines.slice(0, line - 1), lines[line - 1]!.slice(0, column - 1)].join("\n")
      const after = lines[line - 1]!.slice(column - 1) + "\n" + lines.slice(line).join("\n")
      return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)])
    }
    const sequences: ReadonlyArray<{ readonly what: string; readonly bytes: ReadonlyArray<number>; readonly says: string }> = [
      { what: "a Latin-1 byte", bytes: [0xe9], says: "not valid UTF-8" },
      { what: "a lone continuation byte", bytes: [0x80], says: "not valid UTF-8" },
      { what: "a truncated sequence", bytes: [0xe2, 0x82], says: "not valid UTF-8" },
      { what: "an overlong encoding", bytes: [0xc0, 0xaf], says: "not valid UTF-8" },
      { what: "an encoded surrogate", bytes: [0xed, 0xa0, 0x80], says: "not valid UTF-8" },
      { what: "a NUL byte", bytes: [0x00], says: "U+0000" },
      { what: "an escape control character", bytes: [0x1b], says: "U+001B" }
    ]
    const cases: Array<Case> = []
    for (const s of sequences) {
      for (const [line, column] of [[1, 11], [6, 10]] as const) {
        cases.push({
          name: `${s.what} at line ${line}, column ${column}`,
          make: (d) => ({ file: write(d, "p.yaml", inject(line, column, s.bytes)) }),
          expect: (_, f) => [at(f, line, column), s.says]
        })
      }
      cases.push({
        name: `${s.what} in config/default.yaml`,
        make: (d) => {
          write(d, "config/default.yaml", Buffer.concat([Buffer.from("params:\n  n: "), Buffer.from(s.bytes), Buffer.from("\n")]))
          return { file: write(d, "p.yaml", pipelineText()) }
        },
        expect: () => [at("config/default.yaml", 2, 6), s.says]
      })
    }
    for (const [bom, encoding] of [[[0xff, 0xfe], "utf16le"], [[0xfe, 0xff], "utf16be"]] as const) {
      cases.push({
        name: `a ${encoding} file with its byte-order mark`,
        make: (d) => {
          const le = Buffer.from(pipelineText(), "utf16le")
          const body = encoding === "utf16le" ? le : Buffer.from(le).swap16()
          return { file: write(d, "p.yaml", Buffer.concat([Buffer.from(bom), body])) }
        },
        expect: (_, f) => [at(f, 1, 1), "UTF-16"]
      })
    }
    runCases(cases, (c) => c.name === "a Latin-1 byte at line 6, column 10" || c.name.includes("utf16le"))
  })

  describe("empty stages and bad config locations", () => {
    runCases([
      ...["stages: {}", "stages:", "stages: []", "stages: ~", "stages: 3"].map((line): Case => ({
        name: `'${line}'`,
        make: (d) => ({ file: write(d, "p.yaml", `pipeline: hostile\n${line}\n`) }),
        expect: (_, f) => [at(f, 2), "stages"]
      })),
      {
        name: "--config-dir naming a file",
        make: (d) => ({ file: write(d, "p.yaml", pipelineText()), args: ["--config-dir", write(d, "cfg", "x: 1\n")] }),
        expect: () => ["--config-dir:", "is a file"]
      },
      {
        name: "--config-dir naming nothing",
        make: (d) => ({ file: write(d, "p.yaml", pipelineText()), args: ["--config-dir", path.join(d, "nope")] }),
        expect: () => ["--config-dir:", "does not exist"]
      },
      {
        name: "a config/ that is a file next to package.json",
        make: (d) => {
          write(d, "config", "x: 1\n")
          return { file: write(d, "p.yaml", pipelineText()) }
        },
        expect: () => ["config: the config directory is a file"]
      },
      {
        name: "a missing profile",
        make: (d) => ({ file: write(d, "p.yaml", pipelineText()), args: ["--profile", "nope"] }),
        expect: () => ["--profile:", "unknown profile 'nope'"]
      },
      ...["../p", "/etc/passwd", "a/b", ".hidden"].map((name): Case => ({
        name: `a profile name that is a path: ${name}`,
        make: (d) => {
          write(d, "config/a/b.yaml", "params: { n: 1 }\n")
          return { file: write(d, "p.yaml", pipelineText()), args: ["--profile", name] }
        },
        expect: () => ["--profile:", "invalid profile name"]
      }))
    ], (c) => c.name === "--config-dir naming a file" || c.name === "a missing profile" || c.name === "'stages: {}'" || c.name === "'stages: 3'")
  })
})
