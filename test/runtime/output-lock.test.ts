/**
 * The output directory's lock: a run (or gc) is refused while another process holds the directory,
 * with the holder's pid, host and start time in the message; a stale marker of a dead process is
 * taken over; readers (serve) and writers exclude each other. The overlap is made certain by
 * holding the lock from this test process, not by racing two runs.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs"
import { hostname } from "node:os"
import { join } from "node:path"
import { Effect, Either } from "effect"
import { describe, expect, it } from "vitest"
import { holdReaderLock, holdWriterLock, lockDirOf } from "../../src/runtime/run/output-lock.js"
import { runPipelineCli } from "./cli-process.js"
import { tempDir, writePipeline } from "./harness.js"

const yaml = `
pipeline: locked
layers: { store: { dir: $OUT }, progress: { mode: off } }
stages:
  numbers: { uses: example-numbers, with: { count: 1000, chunkSize: 100 } }
  stats: { uses: example-stats, needs: [numbers] }
`

/** A pid that is certainly dead: a child that has already exited. */
const deadPid = (): number => spawnSync(process.execPath, ["-e", ""]).pid!

const markers = (out: string): Array<string> => (existsSync(lockDirOf(out)) ? readdirSync(lockDirOf(out)).sort() : [])

type Hold = ReturnType<typeof holdWriterLock>

/** Holds `first`, then tries `second` while `first` is held: its error (Left) or success (Right). */
const whileHeld = (first: Hold, second: Hold) => Effect.runPromise(Effect.scoped(Effect.zipRight(first, Effect.either(second))))

describe("output directory lock", () => {
  it("refuses a run while another process holds the directory, naming its pid, host and start; runs once it is released", async () => {
    const dir = tempDir()
    const file = writePipeline(dir, yaml)
    const out = join(dir, "out")
    const refused = await Effect.runPromise(
      Effect.scoped(Effect.zipRight(holdWriterLock(out, "pipeline run"), Effect.promise(() => runPipelineCli(["run", file]))))
    )
    expect(refused.status).toBe(1)
    expect(refused.stderr).toContain(`${out} is in use: \`pipeline run\` (pid ${process.pid} on host ${hostname()}, since `)
    expect(refused.stderr).toContain("wait for it to end or use another output directory")
    // Refused before the ledger was opened: nothing was recorded, no stage ran.
    expect(existsSync(join(out, "ledger.sqlite"))).toBe(false)
    expect(markers(out)).toEqual([])

    const ran = await runPipelineCli(["run", file])
    expect(ran.stderr).toBe("")
    expect(ran.status).toBe(0)
    expect(ran.stdout).toMatch(/numbers\s+example-numbers\s+succeeded/)
    // Released at the end of the run.
    expect(markers(out)).toEqual([])
  })

  it("takes over a stale marker of a dead process", async () => {
    const dir = tempDir()
    const file = writePipeline(dir, yaml)
    const out = join(dir, "out")
    mkdirSync(lockDirOf(out), { recursive: true })
    const stale = { pid: deadPid(), host: hostname(), command: "pipeline run", startedAt: new Date().toISOString() }
    writeFileSync(join(lockDirOf(out), `writer-${stale.pid}-dead0000.json`), JSON.stringify(stale))
    const ran = await runPipelineCli(["run", file])
    expect(ran.stderr).toBe("")
    expect(ran.status).toBe(0)
    expect(markers(out)).toEqual([])
  })

  it("reports a marker of another host with that host and the file to delete", async () => {
    const out = join(tempDir(), "out")
    mkdirSync(lockDirOf(out), { recursive: true })
    const marker = join(lockDirOf(out), "writer-4242-0000beef.json")
    writeFileSync(marker, JSON.stringify({ pid: 4242, host: "elsewhere.example", command: "pipeline run", startedAt: new Date().toISOString() }))
    const error = await Effect.runPromise(Effect.flip(Effect.scoped(holdWriterLock(out, "pipeline run"))))
    expect(error._tag).toBe("OutputDirLocked")
    expect(error.message).toContain("pid 4242 on host elsewhere.example")
    expect(error.message).toContain(`if it has ended, delete ${marker}`)
    // Not taken over: its process cannot be checked from here.
    expect(existsSync(marker)).toBe(true)
  })

  it("a reader blocks a writer, a writer blocks a reader, readers share", async () => {
    const out = join(tempDir(), "out")
    const readerThenWriter = await whileHeld(holdReaderLock(out, "pipeline serve"), holdWriterLock(out, "pipeline run"))
    expect(Either.isLeft(readerThenWriter)).toBe(true)
    const refusal = Either.isLeft(readerThenWriter) ? readerThenWriter.left.message : ""
    expect(refusal).toContain(`\`pipeline serve\` (pid ${process.pid}`)
    expect(refusal).toContain("must not change what is being served")
    const writerThenReader = await whileHeld(holdWriterLock(out, "pipeline run"), holdReaderLock(out, "pipeline serve"))
    expect(Either.isLeft(writerThenReader) && writerThenReader.left.message).toContain("`pipeline run` (pid")
    const writerThenWriter = await whileHeld(holdWriterLock(out, "pipeline run"), holdWriterLock(out, "pipeline gc"))
    expect(Either.isLeft(writerThenWriter)).toBe(true)
    const twoReaders = await whileHeld(holdReaderLock(out, "pipeline serve"), holdReaderLock(out, "pipeline serve"))
    expect(Either.isRight(twoReaders)).toBe(true)
    // Every refused or finished hold removed its own marker.
    expect(markers(out)).toEqual([])
  })

  it("gc skips a directory that a run holds (exit 1) and collects it once released", async () => {
    const dir = tempDir()
    const file = writePipeline(dir, yaml)
    const out = join(dir, "out")
    for (const count of [1000, 2000]) {
      expect((await runPipelineCli(["run", file, "--set", `stages.numbers.with.count=${count}`])).status).toBe(0)
    }
    const skipped = await Effect.runPromise(
      Effect.scoped(Effect.zipRight(holdWriterLock(out, "pipeline run"), Effect.promise(() => runPipelineCli(["gc", file, "--keep", "1"]))))
    )
    expect(skipped.status).toBe(1)
    expect(skipped.stderr).toContain(`pipeline gc: skipped ${out}: ${out} is in use: \`pipeline run\` (pid ${process.pid}`)
    expect(readdirSync(join(out, "stages", "numbers"))).toHaveLength(2)
    const collected = await runPipelineCli(["gc", file, "--keep", "1"])
    expect(collected.status).toBe(0)
    expect(readdirSync(join(out, "stages", "numbers"))).toHaveLength(1)
  })
})
