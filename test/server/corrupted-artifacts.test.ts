/**
 * `pipeline serve` over a run whose files were damaged after it committed them: each kind of
 * damage is found at load, reported on /healthz (status "error" and the reason naming the file)
 * and on the page, and no data route answers 200 with data; `--fail-on-error` exits 1 with the
 * reason on stderr. Each case is a fresh small real run, damaged, then served by a child process.
 *
 * Two lines of defence, each tested: the files recorded at commit (the check `plan` makes before
 * reuse) catch any damage to a run of this version; the load checks (quick_check, counts, finite
 * unit rows) catch what those cannot, shown here with a run whose file records are absent (as an
 * older version committed them).
 */
import { closeSync, openSync, statSync, writeSync } from "node:fs"
import { join } from "node:path"
import Database from "better-sqlite3"
import { beforeAll, describe, expect, it } from "vitest"
import { descriptorFromStore } from "../../src/runtime/artifact-paths.js"
import { runPipelineCli } from "../runtime/cli-process.js"
import { copyServedRun, makeServedRun, type ServedRun, startServer, waitUntilLoaded } from "./served-run.js"

const PROFILES = 800

interface RunFiles {
  readonly profiles: string
  readonly matrix: string
  readonly ids: string
}

/** The files the run's ledger recorded for its profiles and embeddings. */
const filesOf = (run: ServedRun): RunFiles => {
  const ledger = new Database(join(run.out, "ledger.sqlite"), { readonly: true })
  try {
    const descriptor = (stage: string) =>
      descriptorFromStore(
        run.out,
        JSON.parse((ledger.prepare("SELECT descriptor FROM artifacts WHERE stage_id = ?").get(stage) as { descriptor: string }).descriptor)
      ) as Record<string, string>
    const embeddings = descriptor("embeddings")
    return { profiles: descriptor("profiles")["path"]!, matrix: embeddings["path"]!, ids: embeddings["idsPath"]! }
  } finally {
    ledger.close()
  }
}

/** Overwrites bytes of `file` at `offset`, keeping its size. */
const overwrite = (file: string, offset: number, bytes: Uint8Array) => {
  const fd = openSync(file, "r+")
  try {
    writeSync(fd, bytes, 0, bytes.length, offset)
  } finally {
    closeSync(fd)
  }
}

/** Zeroes `file` from `fraction` of its size to its end (a write cut off, then padded). */
const zeroFrom = (file: string, fraction: number) => {
  const size = statSync(file).size
  const at = Math.floor(size * fraction)
  overwrite(file, at, new Uint8Array(size - at))
}

const damages: ReadonlyArray<{ readonly name: string; readonly damage: (f: RunFiles) => void; readonly reason: RegExp }> = [
  { name: "matrix zeroed past half", damage: (f) => zeroFrom(f.matrix, 0.5), reason: /embeddings\.f32: row \d+ has length 0/ },
  {
    name: "NaN and Inf in a matrix row",
    damage: (f) => overwrite(f.matrix, 128 * 4 * 5, new Uint8Array(new Float32Array([Number.NaN, Number.POSITIVE_INFINITY]).buffer)),
    reason: /embeddings\.f32: row 5 holds a NaN or infinite value/
  },
  { name: "ids zeroed past half", damage: (f) => zeroFrom(f.ids, 0.5), reason: /embeddings\.ids\.i64: id 0 appears more than once|not in the profiles table/ },
  {
    name: "a page in the middle of the profiles file",
    damage: (f) => {
      const pages = Math.floor(statSync(f.profiles).size / 4096)
      overwrite(f.profiles, Math.floor(pages / 2) * 4096, new Uint8Array(64).fill(0xa5))
    },
    reason: /profiles\.sqlite|database disk image is malformed|loading failed/
  }
]

/** Forgets the file records of the run's artifacts: only the load checks stand between damage and the page. */
const forgetFileRecords = (run: ServedRun) => {
  const ledger = new Database(join(run.out, "ledger.sqlite"))
  try {
    ledger.prepare("UPDATE artifacts SET files = NULL").run()
  } finally {
    ledger.close()
  }
}

/** The manifest's reason names the damaged file, whatever the damage. */
const recordedReason = (file: RegExp) => new RegExp(`its committed files failed their check: stages/\\S+/${file.source}`)

const cases = [
  ...damages.map((d) => ({ ...d, name: `${d.name} (no file records: load checks)`, recorded: false })),
  { ...damages[0]!, name: "matrix zeroed past half (file records)", reason: recordedReason(/embeddings\.f32 /), recorded: true },
  { ...damages[3]!, name: "a page in the middle of the profiles file (file records)", reason: recordedReason(/profiles\.sqlite /), recorded: true }
]

describe("pipeline serve: damaged artifacts", () => {
  // One real run; each case damages a copy of it.
  let sound: ServedRun
  beforeAll(() => {
    sound = makeServedRun(PROFILES)
  })

  for (const { name, damage, reason, recorded } of cases) {
    it(`reports ${name} at load and serves no data`, async () => {
      const run = copyServedRun(sound)
      if (!recorded) forgetFileRecords(run)
      damage(filesOf(run))
      const server = await startServer(run.args)
      try {
        const health = (await waitUntilLoaded(server.url, 120_000)) as { status: string; message: string }
        expect(health.status).toBe("error")
        expect(health.message).toMatch(reason)
        for (const path of ["/api/match/1", `/api/match/${PROFILES - 5}`, "/api/profiles/3", "/api/profiles?q=a"]) {
          const response = await fetch(`${server.url}${path}`)
          expect(response.status, path).toBe(503)
          expect(((await response.json()) as { error: string }).error, path).toMatch(reason)
        }
        const page = await fetch(`${server.url}/profiles/1`)
        expect(page.status).toBe(503)
        expect(await page.text()).toContain('"status":"error"')
        expect(server.output()).toMatch(/cannot serve: /)
      } finally {
        await server.stop()
      }
    }, 120_000)
  }

  it("exits 1 with the reason on stderr under --fail-on-error, and serves a sound run under it", async () => {
    const run = copyServedRun(sound)
    forgetFileRecords(run)
    zeroFrom(filesOf(run).matrix, 0.75)
    const failed = await runPipelineCli(["serve", ...run.args, "--port", "0", "--fail-on-error"])
    expect(failed.status).toBe(1)
    expect(failed.stderr).toMatch(/cannot serve: .*embeddings\.f32: row \d+ has length 0/)

    const server = await startServer(copyServedRun(sound).args, ["--fail-on-error"])
    try {
      expect((await waitUntilLoaded(server.url)).status).toBe("ready")
      expect((await fetch(`${server.url}/api/match/1`)).status).toBe(200)
    } finally {
      expect(await server.stop()).toBe(0)
    }
  }, 120_000)
})
