/**
 * `pipeline run FILE`: load and validate, select, execute, print the final table. The first
 * Ctrl-C or SIGTERM interrupts running stages (their attempts are recorded as interrupted and the
 * run as interrupted; exit code 130); a second one exits at once.
 */
import { availableParallelism } from "node:os"
import { Console, Deferred, Effect, type Layer } from "effect"
import { UsageError, type LedgerError, type PipelineInvalid, type RunError } from "../errors.js"
import { resolveSelection } from "../plan/selection.js"
import type { StageRegistry } from "../registry.js"
import type { PipelineSpec } from "../spec/pipeline-spec.js"
import { executeRun } from "../run/scheduler.js"
import type { ParsedArgs, VerbSpec } from "./args.js"
import { loadFromArgs } from "./load.js"
import { runtimeLayers, type ProgressMode } from "./product-layers.js"
import { formatReport } from "./report-table.js"
import { selectionFlags } from "./selection-flags.js"
import { stopOnSignals } from "./signals.js"

export interface Product<R> {
  readonly registry: StageRegistry<R>
  /** The services the product's stage kinds need, built from the pipeline's `layers` settings. */
  readonly services: (spec: PipelineSpec) => Layer.Layer<R, RunError>
  /** Verbs the product adds to the runtime's own (e.g. `serve`), with the same parsing and help. */
  readonly commands?: ReadonlyArray<ProductCommand>
}

/** A verb of the product: its spec (flags, help) and what it does with the parsed arguments. */
export interface ProductCommand {
  readonly verb: VerbSpec
  readonly run: (
    args: ParsedArgs,
    registry: StageRegistry<unknown>
  ) => Effect.Effect<number, PipelineInvalid | UsageError | RunError | LedgerError>
}

const progressMode = (args: ParsedArgs, spec: PipelineSpec): Effect.Effect<ProgressMode, UsageError> => {
  const value = args.strings.get("progress") ?? (spec.layers["progress"]?.["mode"] as string | undefined) ?? "auto"
  return value === "auto" || value === "tty" || value === "plain" || value === "off"
    ? Effect.succeed(value)
    : Effect.fail(new UsageError({ message: `--progress: expected auto, tty, plain or off, found '${value}'` }))
}

export const runCommand = <R>(
  args: ParsedArgs,
  product: Product<R>,
  argv: ReadonlyArray<string>
): Effect.Effect<number, PipelineInvalid | UsageError | RunError | LedgerError> =>
  Effect.scoped(
    Effect.gen(function* () {
      const spec = yield* loadFromArgs(args.positionals[0]!, args, product.registry as StageRegistry<unknown>)
      const selection = yield* resolveSelection(spec, selectionFlags(args))
      const mode = yield* progressMode(args, spec)
      const stop = yield* Deferred.make<void>()
      yield* stopOnSignals(stop, (signal) => `${signal}: stopping; running stages are interrupted (send it again to exit at once).`)
      const report = yield* executeRun(spec, product.registry, {
        concurrency: args.ints.get("concurrency") ?? availableParallelism(),
        selection,
        argv,
        stop
      }).pipe(Effect.provide(runtimeLayers(spec, mode)), Effect.provide(product.services(spec)))
      yield* Console.log(formatReport(report, spec))
      return report.status === "succeeded" ? 0 : report.status === "interrupted" ? 130 : 1
    })
  )
