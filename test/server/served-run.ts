/**
 * A small real run of the profile pipeline and a real `pipeline serve` child process over it, for
 * the API and browser tests. The run is the shipped quick.yaml at a few thousand profiles in a temp
 * directory; one profile is renamed to a script tag afterwards, to check that text is escaped.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { cpSync, existsSync } from "node:fs"
import { join, resolve } from "node:path"
import Database from "better-sqlite3"
import { descriptorFromStore } from "../../src/runtime/artifact-paths.js"
import { tempDir } from "../runtime/harness.js"

export const root = resolve(import.meta.dirname, "../..")
const cli = join(root, "bin", "pipeline.js")

export const SCRIPT_NAME = "<script>alert(1)</script>"
/** The profile renamed to SCRIPT_NAME. */
export const SCRIPT_PROFILE_ID = 7

export interface ServedRun {
  /** Output directory of the run (`layers.store.dir`). */
  readonly out: string
  /** CLI arguments that point a command at this run. */
  readonly args: ReadonlyArray<string>
}

/**
 * Records a stage's files in the ledger again, as a commit would: the fixture's edit of a committed
 * file is deliberate, and serve (rightly) refuses files that differ from what was committed.
 */
const rerecordFiles = (out: string, stageId: string): void => {
  const script = `
    import Database from "better-sqlite3"
    import { recordFiles } from "./dist/layers/artifact-store/file-manifest.js"
    const [out, stageId] = process.argv.slice(1)
    const db = new Database(out + "/ledger.sqlite")
    const row = db.prepare("SELECT cache_key FROM artifacts WHERE stage_id = ?").get(stageId)
    const files = await recordFiles(out, out + "/stages/" + stageId + "/" + row.cache_key.slice(0, 16))
    db.prepare("UPDATE artifacts SET files = ? WHERE stage_id = ?").run(JSON.stringify(files), stageId)
    db.close()`
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, out, stageId], { cwd: root, encoding: "utf8" })
  if (r.status !== 0) throw new Error(`re-recording ${stageId}'s files failed:\n${r.stderr}`)
}

/** Runs pipelines/quick.yaml with `profiles` profiles into a temp directory. */
export const makeServedRun = (profiles = 3000): ServedRun => {
  if (!existsSync(join(root, "dist", "main.js"))) throw new Error("run `npm run build` first")
  const out = tempDir("serve-test-")
  const args = ["pipelines/quick.yaml", "--set", `layers.store.dir=${out}`, "--set", `params.profiles=${profiles}`]
  const r = spawnSync(process.execPath, [cli, "run", ...args, "--until", "index", "--progress", "off"], {
    cwd: root,
    encoding: "utf8"
  })
  if (r.status !== 0) throw new Error(`pipeline run failed (${r.status}):\n${r.stdout}\n${r.stderr}`)
  const ledger = new Database(join(out, "ledger.sqlite"), { readonly: true })
  const row = ledger.prepare("SELECT descriptor FROM artifacts WHERE stage_id = 'profiles'").get() as { descriptor: string }
  ledger.close()
  const db = new Database((descriptorFromStore(out, JSON.parse(row.descriptor)) as { path: string }).path)
  try {
    db.prepare("UPDATE profiles SET name = ? WHERE id = ?").run(SCRIPT_NAME, SCRIPT_PROFILE_ID)
  } finally {
    db.close()
  }
  rerecordFiles(out, "profiles")
  return { out, args }
}

/** A copy of a served run in a directory of its own (the copy's paths resolve there), to damage freely. */
export const copyServedRun = (run: ServedRun): ServedRun => {
  const out = join(tempDir("serve-copy-"), "out")
  cpSync(run.out, out, { recursive: true, preserveTimestamps: true })
  return { out, args: run.args.map((a) => (a === `layers.store.dir=${run.out}` ? `layers.store.dir=${out}` : a)) }
}

export interface RunningServer {
  readonly url: string
  readonly process: ChildProcess
  /** Everything the server printed so far. */
  readonly output: () => string
  /** SIGTERM, then the exit code. */
  readonly stop: () => Promise<number | null>
}

/** Starts `pipeline serve` on a free port and waits until it listens (not until it has loaded). */
export const startServer = (args: ReadonlyArray<string>, extra: ReadonlyArray<string> = []): Promise<RunningServer> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, "serve", ...args, "--port", "0", ...extra], { cwd: root })
    let output = ""
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)))
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8")
      const m = /listening on (http:\/\/\S+)/.exec(output)
      if (m !== null) {
        child.stdout.off("data", onData)
        child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")))
        resolvePromise({
          url: m[1]!,
          process: child,
          output: () => output,
          stop: () => {
            child.kill("SIGTERM")
            return exited
          }
        })
      }
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")))
    void exited.then((code) => reject(new Error(`pipeline serve exited (${code}) before listening:\n${output}`)))
  })

/** Polls /healthz until the server is no longer loading; returns the final health body. */
export const waitUntilLoaded = async (url: string, timeoutMs = 300_000): Promise<{ readonly status: string }> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string }
    if (health.status !== "loading") return health
    if (Date.now() > deadline) throw new Error("the server did not finish loading")
    await new Promise((r) => setTimeout(r, 100))
  }
}
