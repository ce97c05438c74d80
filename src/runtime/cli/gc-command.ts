/**
 * `pipeline gc [FILE] [--keep N] [--dry-run]`: frees the disk that old variants hold. Keeps every
 * stage directory that one of the last N runs (default 3) made, reused or tried (its attempts'
 * cache keys and its reused stages' keys); removes the other `stages/<stage>/<key>/` directories and
 * forgets their artifacts and checkpoints in the ledger, so no later run reuses or resumes from
 * data that is gone. Runs, attempts and event logs stay: the history is small and kept whole.
 * A run in progress in that output directory stops gc for it (it may be writing anything): gc
 * takes the directory's writer lock (run/output-lock.ts), so a run, another gc or a server there
 * makes it skip that directory with the holder named (exit 1). `--dry-run` changes nothing and
 * takes no lock.
 */
import { existsSync, readdirSync, rmSync, statSync } from "node:fs"
import { join } from "node:path"
import { Console, Effect } from "effect"
import { RunLedgerSqlite } from "../../layers/ledger/sqlite-ledger.js"
import { STAGE_DIR_KEY_CHARS } from "../../layers/artifact-store/fs-artifact-store.js"
import type { LedgerError, PipelineInvalid, UsageError } from "../errors.js"
import type { Catalog } from "../modules/catalog.js"
import { holdWriterLock } from "../run/output-lock.js"
import { RunLedger } from "../services/run-ledger.js"
import type { ParsedArgs } from "./args.js"
import { loadFromArgs } from "./load.js"
import { ledgerPath } from "./product-layers.js"
import { formatMiB, formatTable } from "./table.js"

/** Bytes under a path (files only; links are not followed). */
const sizeOf = (path: string): number => {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (stat === undefined) return 0
  if (!stat.isDirectory()) return stat.size
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0)
}


interface Removal {
  readonly stage: string
  readonly dir: string
  readonly bytes: number
  /** Full cache keys of the ledger's artifacts stored there (usually one). */
  readonly keys: ReadonlyArray<string>
}

/** What gc would remove in one output directory, or why it must not touch it. */
const planFor = (outputDir: string, keep: number) =>
  Effect.gen(function* () {
    const ledger = yield* RunLedger
    yield* ledger.recoverCrashed
    const runs = yield* ledger.listRuns(keep)
    const running = (yield* ledger.listRuns(-1)).filter((r) => r.status === "running")
    if (running.length > 0) {
      return { _tag: "Busy" as const, message: `run ${running[0]!.id} (pid ${running[0]!.pid}) is in progress in ${outputDir}` }
    }
    const kept = new Set<string>()
    for (const run of runs) {
      for (const attempt of yield* ledger.attemptsOf(run.id)) kept.add(`${attempt.stageId}/${attempt.cacheKey.slice(0, STAGE_DIR_KEY_CHARS)}`)
      for (const event of yield* ledger.eventsOf(run.id)) {
        const key = (event.data as { cacheKey?: unknown } | null)?.cacheKey
        if (event.stageId !== null && typeof key === "string") kept.add(`${event.stageId}/${key.slice(0, STAGE_DIR_KEY_CHARS)}`)
      }
    }
    const byDir = new Map<string, Array<string>>()
    for (const artifact of yield* ledger.listArtifacts) {
      const dir = `${artifact.stageId}/${artifact.cacheKey.slice(0, STAGE_DIR_KEY_CHARS)}`
      byDir.set(dir, [...(byDir.get(dir) ?? []), artifact.cacheKey])
    }
    const removals: Array<Removal> = []
    const stagesDir = join(outputDir, "stages")
    const onDisk = new Set<string>()
    if (existsSync(stagesDir)) {
      for (const stage of readdirSync(stagesDir)) {
        const stageDir = join(stagesDir, stage)
        if (!statSync(stageDir).isDirectory()) continue
        for (const key of readdirSync(stageDir)) onDisk.add(`${stage}/${key}`)
      }
    }
    // Stage directories not kept, and ledger artifacts whose directory is already gone.
    for (const dir of new Set([...onDisk, ...byDir.keys()])) {
      if (kept.has(dir)) continue
      const [stage] = dir.split("/")
      removals.push({ stage: stage!, dir: join(stagesDir, dir), bytes: sizeOf(join(stagesDir, dir)), keys: byDir.get(dir) ?? [] })
    }
    return { _tag: "Plan" as const, runs: runs.length, kept: kept.size, removals: removals.sort((a, b) => a.dir.localeCompare(b.dir)) }
  })

const collect = (outputDir: string, keep: number, dryRun: boolean) =>
  Effect.gen(function* () {
    const plan = yield* planFor(outputDir, keep)
    if (plan._tag === "Busy") {
      yield* Console.error(`pipeline gc: skipped ${outputDir}: ${plan.message}`)
      return { freed: 0, busy: true }
    }
    const ledger = yield* RunLedger
    const freed = plan.removals.reduce((sum, r) => sum + r.bytes, 0)
    if (plan.removals.length === 0) {
      yield* Console.log(`${outputDir}: nothing to remove (the last ${plan.runs} run(s) use every stage directory)`)
      return { freed: 0, busy: false }
    }
    if (!dryRun) {
      for (const removal of plan.removals) {
        // Ledger first: once forgotten, a crash before the files go only leaves unused bytes.
        for (const key of removal.keys) yield* ledger.forgetArtifact(removal.stage, key)
        rmSync(removal.dir, { recursive: true, force: true })
      }
    }
    const rows = plan.removals.map((r) => [r.dir, formatMiB(r.bytes), r.keys.length > 0 ? "artifact" : "partial/uncommitted"])
    yield* Console.log(
      [
        `${outputDir}: ${dryRun ? "would remove" : "removed"} ${plan.removals.length} stage director${plan.removals.length === 1 ? "y" : "ies"}, ${formatMiB(freed)}; kept what the last ${plan.runs} run(s) used`,
        formatTable(["directory", "size", "what"], rows)
      ].join("\n")
    )
    return { freed, busy: false }
  })

export const gcCommand = (args: ParsedArgs, base: Catalog): Effect.Effect<number, PipelineInvalid | LedgerError | UsageError> =>
  Effect.gen(function* () {
    const keep = args.ints.get("keep") ?? 3
    const dryRun = args.booleans.has("dry-run")
    const file = args.positionals[0]
    const outputDirs: Array<string> = []
    if (file !== undefined) {
      outputDirs.push((yield* loadFromArgs(file, args, base)).spec.outputDir)
    } else {
      const out = args.strings.get("out") ?? "out"
      if (existsSync(out)) {
        for (const d of readdirSync(out, { withFileTypes: true })) {
          if (d.isDirectory() && existsSync(ledgerPath(join(out, d.name)))) outputDirs.push(join(out, d.name))
        }
      }
    }
    if (outputDirs.length === 0) {
      yield* Console.log("No pipeline outputs found (nothing to collect).")
      return 0
    }
    let freed = 0
    let busy = false
    for (const dir of outputDirs) {
      if (!existsSync(ledgerPath(dir))) {
        yield* Console.log(`${dir}: no ledger (never run)`)
        continue
      }
      const collected = collect(dir, Math.max(1, keep), dryRun).pipe(Effect.provide(RunLedgerSqlite.layer(ledgerPath(dir))))
      const result = yield* (dryRun ? collected : Effect.scoped(Effect.zipRight(holdWriterLock(dir, "pipeline gc"), collected))).pipe(
        Effect.catchTags({
          OutputDirLocked: (e) => Console.error(`pipeline gc: skipped ${dir}: ${e.message}`).pipe(Effect.as({ freed: 0, busy: true })),
          OutputLockError: (e) => Console.error(`pipeline gc: skipped ${dir}: ${e.message}`).pipe(Effect.as({ freed: 0, busy: true }))
        })
      )
      freed += result.freed
      busy ||= result.busy
    }
    if (outputDirs.length > 1) yield* Console.log(`${dryRun ? "would free" : "freed"} ${formatMiB(freed)} in all`)
    return busy ? 1 : 0
  })
