/**
 * `pipeline runs [FILE]` and `pipeline show RUN [FILE]`: the history kept in the run ledgers.
 * Without FILE, every `<out>/<pipeline>/ledger.sqlite` is read.
 */
import { existsSync, readdirSync } from "node:fs"
import { join } from "node:path"
import { Console, Effect, Option } from "effect"
import { RunLedgerSqlite } from "../../layers/ledger/sqlite-ledger.js"
import { UsageError, type LedgerError, type PipelineInvalid } from "../errors.js"
import type { Catalog } from "../modules/catalog.js"
import { RunLedger, type RunRecord } from "../services/run-ledger.js"
import type { ParsedArgs } from "./args.js"
import { loadFromArgs } from "./load.js"
import { ledgerPath } from "./product-layers.js"
import { formatDuration, formatTable } from "./table.js"

const ledgerPaths = (args: ParsedArgs, fileIndex: number, base: Catalog) =>
  Effect.gen(function* () {
    const file = args.positionals[fileIndex]
    if (file !== undefined) {
      const { spec } = yield* loadFromArgs(file, args, base)
      return existsSync(ledgerPath(spec.outputDir)) ? [ledgerPath(spec.outputDir)] : []
    }
    const out = args.strings.get("out") ?? "out"
    if (!existsSync(out)) return []
    return readdirSync(out, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(ledgerPath(join(out, d.name))))
      .map((d) => ledgerPath(join(out, d.name)))
  })

const withLedger = <A, E>(path: string, use: Effect.Effect<A, E, RunLedger>) =>
  use.pipe(Effect.provide(RunLedgerSqlite.layer(path)))

/** Errors up to this length, on one line, stay in the table's error column. */
const ERROR_CELL_MAX = 80
const fitsInTable = (error: string): boolean => error.length <= ERROR_CELL_MAX && !error.includes("\n")

const time = (ms: number) => new Date(ms).toISOString().replace("T", " ").slice(0, 19)

export const runsCommand = (
  args: ParsedArgs,
  base: Catalog
): Effect.Effect<number, PipelineInvalid | LedgerError> =>
  Effect.gen(function* () {
    const limit = args.ints.get("limit") ?? 20
    const runs: Array<RunRecord> = []
    for (const path of yield* ledgerPaths(args, 0, base)) {
      runs.push(...(yield* withLedger(path, Effect.flatMap(RunLedger, (l) => l.listRuns(limit)))))
    }
    if (runs.length === 0) {
      yield* Console.log("No runs yet. Start one with: pipeline run pipelines/full.yaml")
      return 0
    }
    runs.sort((a, b) => b.startedAt - a.startedAt)
    const rows = runs.slice(0, limit).map((r) => [
      r.id,
      r.pipeline,
      r.status,
      time(r.startedAt),
      r.endedAt === null ? "-" : formatDuration(r.endedAt - r.startedAt),
      r.file
    ])
    yield* Console.log(formatTable(["run", "pipeline", "status", "started (UTC)", "took", "file"], rows))
    return 0
  })

export const showCommand = (
  args: ParsedArgs,
  base: Catalog
): Effect.Effect<number, PipelineInvalid | LedgerError | UsageError> =>
  Effect.gen(function* () {
    const runId = args.positionals[0]!
    for (const path of yield* ledgerPaths(args, 1, base)) {
      const found = yield* withLedger(
        path,
        Effect.gen(function* () {
          const ledger = yield* RunLedger
          const run = yield* ledger.getRun(runId)
          if (Option.isNone(run)) return false
          const attempts = yield* ledger.attemptsOf(runId)
          const events = yield* ledger.eventsOf(runId)
          const r = run.value
          yield* Console.log(
            [
              `run ${r.id}: pipeline '${r.pipeline}' (${r.file}), ${r.status}`,
              `started ${time(r.startedAt)} UTC${r.endedAt === null ? "" : `, took ${formatDuration(r.endedAt - r.startedAt)}`}, pid ${r.pid}`,
              `command: pipeline ${r.argv.join(" ")}`,
              ""
            ].join("\n")
          )
          const reused = events.filter((e) => e.type === "stage-reused").map((e) => e.stageId)
          const rows = attempts.map((a) => [
            a.stageId,
            String(a.attempt),
            a.status,
            a.endedAt === null ? "-" : formatDuration(a.endedAt - a.startedAt),
            a.rows === null ? "-" : String(a.rows),
            a.resumedChunks > 0 ? `resumed after ${a.resumedChunks} chunks` : "",
            // Short errors fit in the table; a long or multi-line one is printed whole below it.
            a.error === null ? "" : fitsInTable(a.error) ? a.error : "see below"
          ])
          yield* Console.log(formatTable(["stage", "attempt", "status", "time", "rows", "resume", "error"], rows))
          for (const a of attempts) {
            if (a.error !== null && !fitsInTable(a.error)) {
              yield* Console.log(`\n${a.stageId} (attempt ${a.attempt}) ${a.status}:\n${a.error.split("\n").map((l) => `  ${l}`).join("\n")}`)
            }
          }
          if (reused.length > 0) yield* Console.log(`\nreused: ${reused.join(", ")}`)
          yield* Console.log(`\nevents: ${join(path, "..", "runs", runId, "events.jsonl")} (${events.length} events)`)
          return true
        })
      )
      if (found) return 0
    }
    return yield* new UsageError({ message: `no run '${runId}' found; 'pipeline runs' lists them` })
  })
