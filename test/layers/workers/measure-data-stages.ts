/**
 * Prints profiles/s for generate-profiles + feature-vectors + embeddings, persisted, through the
 * real loader and scheduler. Not a test (no timing assertions anywhere):
 *   npx tsx test/layers/workers/measure-data-stages.ts [count] [workers]
 */
import { Effect } from "effect"
import { memoryLedger, tempDir } from "../../runtime/harness.js"
import { runData, writeDataPipeline } from "./data-pipeline.js"

const count = Number(process.argv[2] ?? 100_000)
const workers = Number(process.argv[3] ?? 2)
const dir = tempDir("measure-data-")
const file = writeDataPipeline(dir, { count, chunkSize: 10_000, dim: 128 })
const cpuBefore = process.cpuUsage()
const started = performance.now()
const report = await Effect.runPromise(runData(file, memoryLedger(), workers, 3))
const seconds = (performance.now() - started) / 1000
const cpu = process.cpuUsage(cpuBefore)
const cpuSeconds = (cpu.user + cpu.system) / 1e6
for (const s of report.stages) console.log(`${s.id.padEnd(12)} ${s.outcome.padEnd(10)} ${(s.durationMs / 1000).toFixed(2)} s`)
console.log(`${count} profiles, ${workers} workers: ${seconds.toFixed(2)} s wall, ${Math.round(count / seconds).toLocaleString("en")} profiles/s (status ${report.status}), out ${dir}`)
console.log(
  `CPU (all threads): ${cpuSeconds.toFixed(2)} s, i.e. ${Math.round(count / (cpuSeconds / 2)).toLocaleString("en")} profiles/s if 2 cores were fully ours ` +
    `(wall time on a shared machine also counts other processes)`
)
