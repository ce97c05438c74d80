/**
 * `pipeline verify FILE [--run RUN]`: reads every byte of the committed artifacts and compares it
 * with what was recorded at commit (size and full sha256 of each file). Without `--run`, every
 * artifact the ledger holds; with it, those that run made or reused. `plan` and `run` check only
 * sizes and sampled blocks before reusing (cheap enough for every run); this is the thorough check,
 * for a disk one has reasons to doubt. Exit 0 when all are intact, 1 when any is not.
 */
import { existsSync } from "node:fs"
import { Console, Effect, Option } from "effect"
import { ArtifactStoreFs } from "../../layers/artifact-store/fs-artifact-store.js"
import { RunLedgerSqlite } from "../../layers/ledger/sqlite-ledger.js"
import { UsageError, type LedgerError, type PipelineInvalid } from "../errors.js"
import type { Catalog } from "../modules/catalog.js"
import { listFileProblems } from "../plan/decide.js"
import { cacheKeysUsedBy } from "../run/used-artifacts.js"
import { ArtifactStore } from "../services/artifact-store.js"
import { RunLedger, type ArtifactRecord } from "../services/run-ledger.js"
import type { ParsedArgs } from "./args.js"
import { loadFromArgs } from "./load.js"
import { ledgerPath } from "./product-layers.js"
import { formatMiB, formatTable } from "./table.js"


/** The artifacts to check: those `runId` used, or every committed one. */
const artifactsToCheck = (runId: string | undefined) =>
  Effect.gen(function* () {
    const ledger = yield* RunLedger
    if (runId === undefined) return yield* ledger.listArtifacts
    if (Option.isNone(yield* ledger.getRun(runId))) {
      return yield* new UsageError({ message: `no run '${runId}' in this pipeline's ledger; 'pipeline runs' lists them` })
    }
    const found: Array<ArtifactRecord> = []
    for (const [stageId, cacheKey] of yield* cacheKeysUsedBy(runId)) {
      const artifact = yield* ledger.findArtifact(stageId, cacheKey)
      if (Option.isSome(artifact)) found.push(artifact.value)
    }
    return found.sort((a, b) => a.createdAt - b.createdAt)
  })

const verifyAll = (runId: string | undefined) =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const artifacts = yield* artifactsToCheck(runId)
    const started = Date.now()
    const rows: Array<ReadonlyArray<string>> = []
    const damaged: Array<string> = []
    let files = 0
    let bytes = 0
    for (const artifact of artifacts) {
      const label = `${artifact.stageId} ${artifact.cacheKey.slice(0, 12)}`
      if (artifact.files === null) {
        rows.push([artifact.stageId, artifact.cacheKey.slice(0, 12), "-", "-", "unverifiable: committed by an older version without file records"])
        damaged.push(label)
        continue
      }
      const problems = yield* store.checkFiles(artifact.files, "full")
      const size = artifact.files.reduce((sum, f) => sum + f.size, 0)
      files += artifact.files.length
      bytes += size
      if (problems.length > 0) damaged.push(label)
      rows.push([
        artifact.stageId,
        artifact.cacheKey.slice(0, 12),
        String(artifact.files.length),
        formatMiB(size),
        problems.length === 0 ? "intact" : `DAMAGED: ${listFileProblems(problems)}`
      ])
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    const scope = runId === undefined ? "every committed artifact" : `the artifacts of run ${runId}`
    yield* Console.log(formatTable(["stage", "key", "files", "size", "result"], rows))
    yield* Console.log("")
    if (damaged.length === 0) {
      yield* Console.log(`${scope}: ${artifacts.length} artifacts, ${files} files, ${formatMiB(bytes)} read in ${seconds} s: all intact`)
      return 0
    }
    yield* Console.log(
      `${scope}: ${damaged.length} of ${artifacts.length} artifacts damaged (${damaged.join(", ")}); ` +
        `'pipeline run' runs those stages again instead of reusing them`
    )
    return 1
  })

export const verifyCommand = (args: ParsedArgs, catalog: Catalog): Effect.Effect<number, PipelineInvalid | LedgerError | UsageError> =>
  Effect.gen(function* () {
    const file = args.positionals[0]
    if (file === undefined) return yield* new UsageError({ message: "verify: expected a pipeline FILE" })
    const { spec } = yield* loadFromArgs(file, args, catalog)
    if (!existsSync(ledgerPath(spec.outputDir))) {
      yield* Console.log(`${spec.outputDir}: no ledger (never run): nothing to verify`)
      return 0
    }
    return yield* verifyAll(args.strings.get("run")).pipe(
      Effect.provide(RunLedgerSqlite.layer(ledgerPath(spec.outputDir))),
      Effect.provide(ArtifactStoreFs.layer(spec.outputDir))
    )
  })
