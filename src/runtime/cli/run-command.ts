/**
 * `pipeline run FILE`: load and validate, select, execute, print the final table. The first
 * Ctrl-C or SIGTERM interrupts running stages (their attempts are recorded as interrupted and the
 * run as interrupted; exit code 130); a second one exits at once.
 *
 * The output directory is locked for the whole run (`holdWriterLock`): another run, a gc or a
 * server in that directory makes this one stop before it opens the ledger, with a message naming
 * the holder (exit code 1, as a failed run: nothing was changed, and the message says why).
 */
import { availableParallelism } from "node:os"
import { Console, Deferred, Effect } from "effect"
import { UsageError, type LedgerError, type PipelineInvalid, type RunError } from "../errors.js"
import { resolveSelection } from "../plan/selection.js"
import { type Catalog, servicesOf } from "../modules/catalog.js"
import type { ModuleContents } from "../modules/module-contents.js"
import type { PipelineSpec } from "../spec/pipeline-spec.js"
import { holdWriterLock } from "../run/output-lock.js"
import { executeRun } from "../run/scheduler.js"
import type { ParsedArgs, VerbSpec } from "./args.js"
import { loadFromArgs } from "./load.js"
import { runtimeLayers, type ProgressMode } from "./product-layers.js"
import { formatReport } from "./report-table.js"
import { selectionFlags } from "./selection-flags.js"
import { stopOnSignals } from "./signals.js"

/**
 * A product built on the runtime: its shipped modules (stage kinds, the layers their services come
 * from, worker tasks: registered exactly as a user's module is) and the verbs it adds.
 */
export interface Product {
  readonly modules: ReadonlyArray<ModuleContents>
  /** Verbs the product adds to the runtime's own (e.g. `serve`), with the same parsing and help. */
  readonly commands?: ReadonlyArray<ProductCommand>
}

/** A verb of the product: its spec (flags, help) and what it does with the parsed arguments. */
export interface ProductCommand {
  readonly verb: VerbSpec
  readonly run: (
    args: ParsedArgs,
    catalog: Catalog
  ) => Effect.Effect<number, PipelineInvalid | UsageError | RunError | LedgerError>
}

const progressMode = (args: ParsedArgs, spec: PipelineSpec): Effect.Effect<ProgressMode, UsageError> => {
  const value = args.strings.get("progress") ?? (spec.layers["progress"]?.["mode"] as string | undefined) ?? "auto"
  return value === "auto" || value === "tty" || value === "plain" || value === "off"
    ? Effect.succeed(value)
    : Effect.fail(new UsageError({ message: `--progress: expected auto, tty, plain or off, found '${value}'` }))
}

export const runCommand = (
  args: ParsedArgs,
  base: Catalog,
  argv: ReadonlyArray<string>
): Effect.Effect<number, PipelineInvalid | UsageError | RunError | LedgerError> =>
  Effect.scoped(
    Effect.gen(function* () {
      const { spec, catalog } = yield* loadFromArgs(args.positionals[0]!, args, base)
      const selection = yield* resolveSelection(spec, selectionFlags(args))
      const mode = yield* progressMode(args, spec)
      const refused = yield* holdWriterLock(spec.outputDir, "pipeline run").pipe(
        Effect.as(null),
        Effect.catchTags({ OutputDirLocked: (e) => Effect.succeed(e.message), OutputLockError: (e) => Effect.succeed(e.message) })
      )
      if (refused !== null) {
        yield* Console.error(`pipeline run: ${refused}`)
        return 1
      }
      const stop = yield* Deferred.make<void>()
      yield* stopOnSignals(stop, (signal) => `${signal}: stopping; running stages are interrupted (send it again to exit at once).`)
      const report = yield* executeRun(spec, catalog.registry, {
        concurrency: args.ints.get("concurrency") ?? availableParallelism(),
        selection,
        argv,
        stop
      }).pipe(Effect.provide(runtimeLayers(spec, mode)), Effect.provide(servicesOf(catalog, spec)))
      const loadArgs = [
        ...(args.lists.get("set") ?? []).flatMap((value) => ["--set", value]),
        ...["profile", "config-dir"].flatMap((name) => {
          const value = args.strings.get(name)
          return value === undefined ? [] : [`--${name}`, value]
        })
      ]
      yield* Console.log(formatReport(report, { argv, file: args.positionals[0]!, loadArgs }))
      return report.status === "succeeded" ? 0 : report.status === "interrupted" ? 130 : 1
    })
  )
