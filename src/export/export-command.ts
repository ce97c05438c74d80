/**
 * `pipeline export [RUN|FILE] [FILE] --to DIR`: a finished run's artifacts written as Parquet,
 * CSV, NumPy and JSON lines (export-plan.ts lists the files; docs/data-layout.md how to read them).
 *
 * The run is found first (a run id is looked up in every ledger under out/, unless FILE names the
 * pipeline), its artifacts' files checked as committed, the scored matches computed, and only then
 * is anything written: into a staging directory beside DIR, renamed to DIR once complete
 * (target-dir.ts). The output directory is held with a reader lock meanwhile, so `pipeline gc`
 * cannot remove what is being read.
 */
import { existsSync, readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { Console, Effect, Layer, Option } from "effect"
import { DEFAULT_TOP } from "../domain/matching/index.js"
import type { FaissSettings } from "../layers/faiss/settings.js"
import { RunLedgerSqlite } from "../layers/ledger/sqlite-ledger.js"
import { loadFromArgs } from "../runtime/cli/load.js"
import { ledgerPath } from "../runtime/cli/product-layers.js"
import type { ProductCommand } from "../runtime/cli/run-command.js"
import { RunError, UsageError } from "../runtime/errors.js"
import type { Catalog } from "../runtime/modules/catalog.js"
import { holdReaderLock } from "../runtime/run/output-lock.js"
import { RunLedger } from "../runtime/services/run-ledger.js"
import type { PipelineSpec } from "../runtime/spec/pipeline-spec.js"
import { DEFAULT_CANDIDATES } from "../server/api-schema.js"
import { matchConfigOf } from "../server/dashboard.js"
import { loadMatchData } from "../server/match-data.js"
import { findServedArtifacts, servedStages } from "../server/run-artifacts.js"
import { Faiss } from "../services/faiss.js"
import type { ParsedArgs } from "../runtime/cli/args.js"
import { ExportError } from "./export-error.js"
import { EXPORT_FORMATS, type ExportFormat, type ExportedFile } from "./export-plan.js"
import { DEFAULT_EXPORT_PIPELINE, DEFAULT_MATCH_SAMPLE, exportVerb } from "./export-verb.js"
import { sampleOrigins, scoredMatches, type ScoredMatch } from "./match-export.js"
import { runSources, findRun } from "./run-sources.js"
import { prepareTarget } from "./target-dir.js"
import { exportRowTotal, writeExport } from "./write-export.js"

const usage = (message: string) => new UsageError({ message: `${message}\nRun 'pipeline export --help' for usage.` })

/** Comma-separated or repeated values of a list flag. */
const listValues = (args: ParsedArgs, name: string): ReadonlyArray<string> | undefined =>
  args.lists.get(name)?.flatMap((v) => v.split(",").map((s) => s.trim()).filter((s) => s !== ""))

const parseFormats = (args: ParsedArgs): Effect.Effect<ReadonlyArray<ExportFormat>, UsageError> => {
  const given = listValues(args, "format")
  if (given === undefined) return Effect.succeed(EXPORT_FORMATS)
  const unknown = given.filter((f) => !(EXPORT_FORMATS as ReadonlyArray<string>).includes(f))
  if (unknown.length > 0) return Effect.fail(usage(`--format: unknown format ${unknown.map((f) => `'${f}'`).join(", ")}; expected ${EXPORT_FORMATS.join(", ")}`))
  if (given.length === 0) return Effect.fail(usage(`--format: no format given; expected ${EXPORT_FORMATS.join(", ")}`))
  return Effect.succeed(EXPORT_FORMATS.filter((f) => given.includes(f)))
}

const isPipelineFile = (arg: string): boolean => /\.ya?ml$/i.test(arg) || (existsSync(arg) && statSync(arg).isFile())

/** The pipeline file of run `runId`, searched in every ledger under `out`. */
const fileOfRun = (runId: string, out: string): Effect.Effect<string, UsageError | RunError> =>
  Effect.gen(function* () {
    const ledgers = existsSync(out)
      ? readdirSync(out, { withFileTypes: true })
          .filter((d) => d.isDirectory() && existsSync(ledgerPath(join(out, d.name))))
          .map((d) => ledgerPath(join(out, d.name)))
      : []
    for (const path of ledgers) {
      const run = yield* Effect.flatMap(RunLedger, (l) => l.getRun(runId)).pipe(
        Effect.provide(RunLedgerSqlite.layer(path)),
        Effect.mapError((e) => new RunError({ message: e.message }))
      )
      if (Option.isSome(run)) return run.value.file
    }
    return yield* usage(`'${runId}' is neither a pipeline file nor a run in a ledger under ${out}/ ('pipeline runs' lists them; a run kept elsewhere needs its FILE: pipeline export RUN FILE)`)
  })

/** The origins asked for, or a seeded sample; ids outside the table are refused. */
const originsOf = (args: ParsedArgs, rows: number): Effect.Effect<ReadonlyArray<number>, UsageError> => {
  const given = listValues(args, "origins")
  if (given !== undefined) {
    const bad = given.filter((s) => !/^\d+$/.test(s) || Number(s) < 1 || Number(s) > rows)
    if (bad.length > 0) return Effect.fail(usage(`--origins: ${bad.map((b) => `'${b}'`).join(", ")} ${bad.length === 1 ? "is not a profile id" : "are not profile ids"} of this run (1..${rows})`))
    return Effect.succeed(given.map(Number))
  }
  const sample = args.ints.get("sample") ?? DEFAULT_MATCH_SAMPLE
  if (sample < 0) return Effect.fail(usage(`--sample: expected 0 or more origins, found ${sample}`))
  return Effect.succeed(sampleOrigins(rows, sample, 42))
}

const matchesOf = (spec: PipelineSpec, runId: string, indexStage: string, args: ParsedArgs) =>
  Effect.gen(function* () {
    const stages = yield* servedStages(spec, indexStage)
    const artifacts = yield* findServedArtifacts(spec, stages, runId)
    const origins = yield* originsOf(args, artifacts.profiles.rows)
    if (origins.length === 0) return [] as ReadonlyArray<ScoredMatch>
    const top = args.ints.get("top") ?? DEFAULT_TOP
    if (top < 1) return yield* usage(`--top: expected 1 or more matches per origin, found ${top}`)
    return yield* Effect.scoped(
      Effect.gen(function* () {
        const faiss = yield* Layer.build(Faiss.layerFromSettings((spec.layers["faiss"] ?? {}) as FaissSettings))
        const data = yield* loadMatchData(artifacts).pipe(Effect.provide(faiss))
        return yield* scoredMatches(data, { origins, top, candidates: DEFAULT_CANDIDATES, config: matchConfigOf(spec, indexStage) })
      })
    )
  })

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 0)} MB`

const exportRun = (args: ParsedArgs, catalog: Catalog) =>
  Effect.gen(function* () {
    const to = args.strings.get("to")
    if (to === undefined || to === "") return yield* usage("--to DIR is required: the directory to write the export to")
    const formats = yield* parseFormats(args)
    const first = args.positionals[0]
    let file = first ?? DEFAULT_EXPORT_PIPELINE
    let runId = args.strings.get("run")
    if (first !== undefined && !isPipelineFile(first)) {
      if (runId !== undefined && runId !== first) return yield* usage(`two runs given: '${first}' and --run ${runId}`)
      runId = first
      file = args.positionals[1] ?? (yield* fileOfRun(first, "out"))
    }
    const { spec } = yield* loadFromArgs(file, args, catalog)
    const ledger = ledgerPath(spec.outputDir)
    if (!existsSync(ledger)) return yield* new ExportError({ message: `'${spec.name}' has not run yet (no ${ledger}); run it first: pipeline run ${spec.file}` })
    yield* holdReaderLock(spec.outputDir, "pipeline export").pipe(
      Effect.catchTags({ OutputDirLocked: (e) => new RunError({ message: e.message }), OutputLockError: (e) => new RunError({ message: e.message }) })
    )

    const found = yield* Effect.gen(function* () {
      const run = yield* findRun(spec, runId)
      return yield* runSources(spec, run)
    }).pipe(Effect.provide(RunLedgerSqlite.layer(ledger)))

    let matches: ReadonlyArray<ScoredMatch> = []
    let indexStage: string | undefined
    const wantsMatches = formats.some((f) => f !== "npy") && (args.ints.get("sample") !== 0 || args.lists.has("origins"))
    if (wantsMatches && found.indexStages.length > 0) {
      const asked = args.strings.get("index")
      indexStage = asked ?? (found.indexStages.includes("index") ? "index" : found.indexStages.length === 1 ? found.indexStages[0] : undefined)
      if (indexStage === undefined) return yield* usage(`--index: run ${found.run.id} has several ANN indexes (${found.indexStages.join(", ")}); choose one`)
      if (!found.indexStages.includes(indexStage)) {
        return yield* usage(`--index: run ${found.run.id} has no ANN index '${indexStage}' (its indexes: ${found.indexStages.join(", ") || "none"})`)
      }
      matches = yield* matchesOf(spec, found.run.id, indexStage, args).pipe(
        Effect.provide(RunLedgerSqlite.layer(ledger)),
        Effect.catchTags({
          ArtifactsUnavailable: (e) => new ExportError({ message: `scored matches: ${e.message}; ${e.hint}` }),
          ProfileNotFound: (e) => new ExportError({ message: `scored matches: ${e.message}` }),
          FaissError: (e) => new ExportError({ message: `scored matches: ${e.message}` })
        })
      )
    } else if (args.lists.has("origins")) {
      return yield* usage(`--origins: run ${found.run.id} has no ANN index to rank matches with`)
    }
    const sources = { ...found.sources, matches: indexStage === undefined ? [] : [{ stage: indexStage, matches }] }

    const started = Date.now()
    const total = exportRowTotal(sources, formats)
    yield* Console.log(`exporting run ${found.run.id} of '${spec.name}' (${formats.join(", ")}) to ${to}`)
    const target = yield* prepareTarget(to, args.booleans.has("overwrite"))
    let written = 0
    const manifest = yield* writeExport(target.staging, sources, {
      formats,
      pipeline: spec.name,
      run: found.run.id,
      onRows: (rows) => Effect.sync(() => void (written += rows)),
      onFile: (f: ExportedFile) =>
        Console.log(`  ${f.path.padEnd(32)} ${f.rows.toLocaleString("en-US").padStart(11)} rows  ${megabytes(f.bytes).padStart(9)}  ${Math.round((100 * written) / Math.max(1, total))}%`)
    })
    yield* target.commit
    const bytes = manifest.files.reduce((s, f) => s + f.bytes, 0)
    yield* Console.log(`exported ${manifest.files.length} files, ${megabytes(bytes)}, in ${((Date.now() - started) / 1000).toFixed(1)} s: ${target.dir} (manifest.json lists them)`)
    return 0
  })

export const exportCommand: ProductCommand = {
  verb: exportVerb,
  run: (args, catalog) =>
    Effect.scoped(exportRun(args, catalog)).pipe(
      Effect.catchTag("ExportError", (e) => Console.error(`pipeline export: ${e.message}`).pipe(Effect.as(1))),
      Effect.catchTag("RunError", (e) => Console.error(`pipeline export: ${e.message}`).pipe(Effect.as(1)))
    )
}
