/**
 * The `pipeline` command in a child process, awaited: the test worker's event loop keeps running
 * while the child works (spawnSync would block it, and vitest's worker RPC times out after 60 s
 * of a blocked loop: `Timeout calling "onTaskUpdate"` on a loaded machine).
 */
import { spawn, spawnSync } from "node:child_process"
import { join, resolve } from "node:path"

const root = resolve(import.meta.dirname, "../..")

/** The repository's `pipeline` command (bin/pipeline.js, which runs dist/). */
export const pipelineBin = join(root, "bin", "pipeline.js")

/** How a child process ended and what it printed. */
export interface CliResult {
  readonly status: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `pipeline ARGS...` (cwd: the repository root unless told; `env` adds to this process's environment) to its end. */
export const runPipelineCli = (
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly env?: Readonly<Record<string, string>> } = {}
): Promise<CliResult> =>
  new Promise((done, fail) => {
    const env = options.env === undefined ? process.env : { ...process.env, ...options.env }
    const child = spawn(process.execPath, [pipelineBin, ...args], { cwd: options.cwd ?? root, env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("error", fail)
    child.on("close", (status, signal) => done({ status, signal, stdout, stderr }))
  })

/**
 * Runs `pipeline ARGS...` synchronously, for commands that end in a second or two (validate, list,
 * a small run); anything long goes through `runPipelineCli`, which does not block the worker.
 */
export const pipelineCliSync = (args: ReadonlyArray<string>, options: { readonly cwd?: string } = {}) => {
  const r = spawnSync(process.execPath, [pipelineBin, ...args], { cwd: options.cwd ?? root, encoding: "utf8" })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

/**
 * `pipelineCliSync`'s shape ({ code, out, err }), awaited: for tests that make many calls in a row,
 * which must not block the worker's event loop for their whole length on a loaded machine.
 */
export const pipelineCliAsync = async (args: ReadonlyArray<string>, options: { readonly cwd?: string } = {}) => {
  const r = await runPipelineCli(args, options)
  return { code: r.status, out: r.stdout, err: r.stderr }
}
