/**
 * `pipeline serve` and the output directory: it serves a finished store that cannot be written
 * (a read-only mount), and while it serves a writable one, a run there is refused (the server holds
 * the directory's reader lock, so nothing deletes what it serves) and goes ahead once it stops.
 */
import { beforeAll, describe, expect, it } from "vitest"
import { runPipelineCli } from "../runtime/cli-process.js"
import { whileReadOnly } from "../runtime/read-only.js"
import { copyServedRun, makeServedRun, type ServedRun, startServer, waitUntilLoaded } from "./served-run.js"

describe("pipeline serve and the output directory", () => {
  let sound: ServedRun
  beforeAll(() => {
    sound = makeServedRun(800)
  })

  it("serves a finished store that cannot be written, writing nothing into it", async () => {
    const run = copyServedRun(sound)
    await whileReadOnly(run.out, async (view) => {
      const args = run.args.map((a) => (a === `layers.store.dir=${run.out}` ? `layers.store.dir=${view}` : a))
      const server = await startServer(args)
      try {
        expect((await waitUntilLoaded(server.url)).status).toBe("ready")
        const match = await fetch(`${server.url}/api/match/1`)
        expect(match.status).toBe(200)
        expect(((await match.json()) as { matches: ReadonlyArray<unknown> }).matches.length).toBeGreaterThan(0)
      } finally {
        expect(await server.stop()).toBe(0)
      }
    })
  })

  it("refuses a run into the directory it serves, naming the server; the run goes ahead once it stops", async () => {
    const run = copyServedRun(sound)
    const server = await startServer(run.args)
    try {
      const refused = await runPipelineCli(["run", ...run.args, "--until", "index", "--progress", "off"])
      expect(refused.status).toBe(1)
      expect(refused.stderr).toMatch(/is in use: `pipeline serve` \(pid \d+ on host .+, since .+\) is reading it/)
    } finally {
      expect(await server.stop()).toBe(0)
    }
    const after = await runPipelineCli(["run", ...run.args, "--until", "index", "--progress", "off"])
    expect(after.status, after.stderr).toBe(0)
  })
})
