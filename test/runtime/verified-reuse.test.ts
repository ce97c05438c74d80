/**
 * Reuse trusts the disk, not the ledger alone: every committed file is recorded at commit and
 * checked before reuse. Written from the behaviour: every file of every artifact of a real run of
 * the quick pipeline, each kind of damage a disk or a user can do to it.
 */
import { createHash } from "node:crypto"
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync
} from "node:fs"
import { join, resolve } from "node:path"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { makeArtifactStoreFs } from "../../src/layers/artifact-store/fs-artifact-store.js"
import { SAMPLE_WHOLE_LIMIT } from "../../src/layers/artifact-store/file-manifest.js"
import { RunLedgerSqlite } from "../../src/layers/ledger/sqlite-ledger.js"
import type { FileCheck } from "../../src/runtime/services/artifact-store.js"
import { RunLedger, type ArtifactRecord } from "../../src/runtime/services/run-ledger.js"
import { runPipelineCli } from "./cli-process.js"
import { tempDir } from "./harness.js"

const quick = resolve(import.meta.dirname, "../../pipelines/quick.yaml")
const PROFILES = 3000

const cli = (verb: string, out: string, ...rest: Array<string>) =>
  runPipelineCli([verb, quick, "--set", `layers.store.dir=${out}`, "--set", `params.profiles=${PROFILES}`, ...rest])

const artifactsIn = (out: string): Promise<ReadonlyArray<ArtifactRecord>> =>
  Effect.runPromise(Effect.flatMap(RunLedger, (l) => l.listArtifacts).pipe(Effect.provide(RunLedgerSqlite.layer(join(out, "ledger.sqlite")))))

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex")

/** Ways to damage a committed file; each undoes nothing (the test restores the file). */
const damages: ReadonlyArray<{ readonly name: string; readonly apply: (path: string, size: number) => void }> = [
  { name: "deleted", apply: (path) => rmSync(path) },
  { name: "truncated to half", apply: (path, size) => truncateSync(path, Math.floor(size / 2)) },
  { name: "one byte appended", apply: (path) => appendFileSync(path, "x") },
  {
    // The hardest case for a cheap check: the size is the same and the modification time put back.
    name: "first byte flipped, mtime restored",
    apply: (path) => {
      const { atime, mtime } = statSync(path)
      const bytes = readFileSync(path)
      bytes[0] = bytes[0]! ^ 0x01
      writeFileSync(path, bytes)
      utimesSync(path, atime, mtime)
    }
  },
  {
    name: "a byte in the middle flipped",
    apply: (path, size) => {
      const bytes = readFileSync(path)
      const at = Math.floor(size / 2) + 7
      bytes[at] = bytes[at]! ^ 0x80
      writeFileSync(path, bytes)
    }
  },
  {
    name: "replaced by a directory",
    apply: (path) => {
      rmSync(path)
      mkdirSync(path)
    }
  }
]

describe("verified reuse", () => {
  let out: string
  let artifacts: ReadonlyArray<ArtifactRecord>

  beforeAll(async () => {
    out = join(tempDir("verified-reuse-"), "out")
    const run = await cli("run", out, "--progress", "off")
    expect(run.status, run.stderr).toBe(0)
    artifacts = await artifactsIn(out)
  })

  it("records every file of every artifact, with store-relative paths only", () => {
    expect(artifacts.length).toBeGreaterThanOrEqual(8)
    for (const artifact of artifacts) {
      expect(artifact.files, artifact.stageId).not.toBeNull()
      expect(artifact.files!.length, artifact.stageId).toBeGreaterThan(0)
      for (const file of artifact.files!) {
        expect(file.path.startsWith(`stages/${artifact.stageId}/`)).toBe(true)
        expect(statSync(join(out, file.path)).size).toBe(file.size)
      }
      // No absolute path into the store is kept: the directory can move.
      expect(JSON.stringify(artifact.descriptor)).not.toContain(out)
    }
  })

  it("detects each kind of damage to each committed file, quick and full, and nothing once restored", async () => {
    const store = makeArtifactStoreFs(out)
    const check = (files: ReadonlyArray<FileCheck>, depth: "quick" | "full") => Effect.runPromise(store.checkFiles(files, depth))
    let cases = 0
    for (const artifact of artifacts) {
      for (const file of artifact.files!) {
        const path = join(out, file.path)
        const backup = `${path}.backup`
        cpSync(path, backup, { preserveTimestamps: true })
        for (const damage of damages) {
          // Flipping the first byte with the mtime put back is caught by the quick check only in
          // sampled data; it always samples the first block, and small files whole.
          damage.apply(path, file.size)
          for (const depth of ["quick", "full"] as const) {
            const problems = await check([file], depth)
            expect(problems.map((p) => p.path), `${file.path} ${damage.name} (${depth})`).toEqual([file.path])
          }
          rmSync(path, { recursive: true, force: true })
          cpSync(backup, path, { preserveTimestamps: true })
          cases++
        }
        rmSync(backup)
        expect(await check([file], "full")).toEqual([])
      }
    }
    expect(cases).toBe(artifacts.reduce((n, a) => n + a.files!.length, 0) * damages.length)
    // Big files exist, so the sampled path was exercised too.
    expect(artifacts.some((a) => a.files!.some((f) => f.size > SAMPLE_WHOLE_LIMIT))).toBe(true)
  })

  it("after a move: plan, verify and run find each damaged artifact, rebuild only those, byte-identically", async () => {
    const moved = join(tempDir("verified-moved-"), "elsewhere")
    cpSync(out, moved, { recursive: true, preserveTimestamps: true })
    const before = await cli("plan", moved)
    expect(before.status, before.stderr).toBe(0)
    expect(before.stdout).not.toMatch(/\brun\b {2,}/)

    // One damaged file in each of these stages: the biggest, the kind of file that matters most.
    const damaged = ["profiles", "embeddings", "clusters", "index"]
    const originals = new Map<string, string>()
    for (const stageId of damaged) {
      const artifact = artifacts.find((a) => a.stageId === stageId)!
      const file = [...artifact.files!].sort((a, b) => b.size - a.size)[0]!
      originals.set(file.path, sha256(join(out, file.path)))
      truncateSync(join(moved, file.path), Math.floor(file.size / 3))
    }

    const plan = await cli("plan", moved)
    expect(plan.status, plan.stderr).toBe(0)
    for (const [path] of originals) {
      const stageId = path.split("/")[1]!
      expect(plan.stdout).toMatch(new RegExp(`^${stageId} +\\S+ +run +its committed files failed their check: ${path} holds`, "m"))
    }
    expect(plan.stdout).toMatch(/^vectors +\S+ +reuse +unchanged .*if profiles rebuilds the same bytes/m)

    const verify = await cli("verify", moved)
    expect(verify.status).toBe(1)
    expect(verify.stdout).toContain(`${damaged.length} of ${artifacts.length} artifacts damaged`)

    const run = await cli("run", moved, "--progress", "off")
    expect(run.status, run.stderr).toBe(0)
    for (const stageId of damaged) expect(run.stdout).toMatch(new RegExp(`^${stageId} +\\S+ +succeeded`, "m"))
    expect(run.stdout).toMatch(/^vectors +\S+ +reused/m)
    for (const [path, digest] of originals) expect(sha256(join(moved, path)), path).toBe(digest)

    const again = await cli("verify", moved)
    expect(again.status, again.stdout).toBe(0)
    expect(again.stdout).toContain("all intact")
  })

  it("never reuses an artifact committed without file records (an older version's)", async () => {
    const copy = join(tempDir("verified-old-"), "out")
    cpSync(out, copy, { recursive: true, preserveTimestamps: true })
    const db = new Database(join(copy, "ledger.sqlite"))
    db.prepare(`UPDATE artifacts SET files = NULL WHERE stage_id = 'profiles'`).run()
    db.close()
    const plan = await cli("plan", copy)
    expect(plan.status, plan.stderr).toBe(0)
    expect(plan.stdout).toMatch(/^profiles +\S+ +run +it was committed by an older version that recorded no file checks/m)
  })
})
