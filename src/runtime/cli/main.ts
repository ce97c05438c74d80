/**
 * The `pipeline` command. Exit codes: 0 success; 1 a failed run, damaged artifacts (`verify`), an
 * output directory another process holds, or an unexpected error; 2 invalid input (pipeline file,
 * overrides, command line); 130 interrupted run. The product (its stage kinds
 * and the services they need) is a parameter: the runtime does not know the stages it runs.
 */
// Subpath imports, not the "effect" barrel: the barrel evaluates every Effect module (Schema,
// FastCheck, ...), about 0.3 s, and `pipeline --help` needs none of them. The verbs' own modules
// (and the product's stage kinds and layers) are imported only when that verb runs.
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import { formatIssue, type LedgerError, type PipelineInvalid, type RunError, type UsageError } from "../errors.js"
import type { Catalog } from "../modules/catalog.js"
import type { ModuleContents } from "../modules/module-contents.js"
import { helpText, parseArgs, type ParsedArgs } from "./args.js"
import type { Product, ProductCommand } from "./run-command.js"
import { verbs } from "./verbs.js"
import { suggestionText } from "../text/did-you-mean.js"

/**
 * A product whose modules are imported on first use: `--help`, a verb's `--help` and a mistyped
 * verb never load the stage kinds, their layers (FAISS, SQLite, worker threads) or the verbs'
 * implementations. `runCli(argv, product)` is this with modules already loaded.
 */
export interface LazyProduct {
  readonly commands?: ReadonlyArray<ProductCommand>
  readonly loadModules: () => Promise<ReadonlyArray<ModuleContents>>
}

type VerbResult = Effect.Effect<number, PipelineInvalid | UsageError | RunError | LedgerError>

/**
 * A product verb whose implementation is imported when it runs: the spec (for help and parsing)
 * stays static, `load` brings the module that does the work.
 */
export const lazyCommand = (verb: ProductCommand["verb"], load: () => Promise<ProductCommand>): ProductCommand => ({
  verb,
  run: (args, catalog) => Effect.flatMap(importing(load), (command) => command.run(args, catalog))
})

/** A dynamic import as an effect; a module that cannot load is a defect (a broken install), not a run error. */
const importing = <A>(load: () => Promise<A>): Effect.Effect<A> => Effect.promise(load)

/** The runtime's verbs: each imports its implementation when it runs. */
const runtimeCommands: Readonly<Record<string, (args: ParsedArgs, catalog: Catalog, argv: ReadonlyArray<string>) => VerbResult>> = {
  run: (args, catalog, argv) => Effect.flatMap(importing(() => import("./run-command.js")), (m) => m.runCommand(args, catalog, argv)),
  plan: (args, catalog) => Effect.flatMap(importing(() => import("./plan-command.js")), (m) => m.planCommand(args, catalog)),
  validate: (args, catalog) => Effect.flatMap(importing(() => import("./plan-command.js")), (m) => m.validateCommand(args, catalog)),
  list: (args, catalog) => Effect.flatMap(importing(() => import("./list-command.js")), (m) => m.listCommand(args, catalog)),
  graph: (args, catalog) => Effect.flatMap(importing(() => import("./graph-command.js")), (m) => m.graphCommand(args, catalog)),
  runs: (args, catalog) => Effect.flatMap(importing(() => import("./history-command.js")), (m) => m.runsCommand(args, catalog)),
  show: (args, catalog) => Effect.flatMap(importing(() => import("./history-command.js")), (m) => m.showCommand(args, catalog)),
  gc: (args, catalog) => Effect.flatMap(importing(() => import("./gc-command.js")), (m) => m.gcCommand(args, catalog)),
  verify: (args, catalog) => Effect.flatMap(importing(() => import("./verify-command.js")), (m) => m.verifyCommand(args, catalog))
}

const allVerbs = (product: LazyProduct) => [...verbs, ...(product.commands ?? []).map((c) => c.verb)]

const topHelp = (product: LazyProduct): string =>
  [
    "Usage: pipeline <command> [arguments] [flags]",
    "",
    "Declarative data pipelines: YAML DAGs of typed, resumable stages.",
    "",
    "Commands:",
    ...allVerbs(product).map((v) => `  ${v.name.padEnd(10)} ${v.summary.split(". ")[0]!.replace(/\.$/, "")}`),
    "",
    "Run 'pipeline <command> --help' for a command's arguments and flags."
  ].join("\n")

/** The product's modules as a catalog; a shipped name defined twice is a defect (thrown), as before. */
const loadCatalog = (product: LazyProduct): Effect.Effect<Catalog> =>
  Effect.flatMap(
    importing(() => Promise.all([import("../modules/catalog.js"), product.loadModules()])),
    ([{ shippedCatalog }, modules]) => Effect.sync(() => shippedCatalog(modules))
  )

const dispatch = (argv: ReadonlyArray<string>, product: LazyProduct) =>
  Effect.gen(function* () {
    const [verbName, ...rest] = argv
    if (verbName === undefined || verbName === "--help" || verbName === "-h" || verbName === "help") {
      yield* Console.log(topHelp(product))
      return verbName === undefined ? 2 : 0
    }
    const verb = allVerbs(product).find((v) => v.name === verbName)
    if (verb === undefined) {
      const names = allVerbs(product).map((v) => v.name)
      yield* Console.error(`unknown command '${verbName}'; ${suggestionText(verbName, names, "commands")}`)
      return 2
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      yield* Console.log(helpText(verb))
      return 0
    }
    const parsed = parseArgs(verb, rest)
    if (Either.isLeft(parsed)) return yield* parsed.left
    const args = parsed.right
    const catalog = yield* loadCatalog(product)
    const productCommand = product.commands?.find((c) => c.verb === verb)
    if (productCommand !== undefined) return yield* productCommand.run(args, catalog)
    const command = runtimeCommands[verb.name]
    if (command === undefined) return yield* Effect.dieMessage(`verb '${verb.name}' has no implementation`)
    return yield* command(args, catalog, argv)
  })

/** Maps every failure to its message and exit code; nothing escapes as a stack dump. */
const programOf = (argv: ReadonlyArray<string>, product: LazyProduct): Effect.Effect<number> =>
  Effect.suspend(() => dispatch(argv, product)).pipe(
    Effect.catchTags({
      PipelineInvalid: (e) =>
        Console.error(
          `${e.issues.length} problem${e.issues.length === 1 ? "" : "s"} in the pipeline:\n${e.issues.map((i) => `  ${formatIssue(i)}`).join("\n")}`
        ).pipe(Effect.as(2)),
      UsageError: (e) => Console.error(e.message).pipe(Effect.as(2)),
      RunError: (e) => Console.error(`run failed: ${e.message}`).pipe(Effect.as(1)),
      LedgerError: (e) => Console.error(`run ledger error: ${e.message}`).pipe(Effect.as(1))
    })
  )

const eager = (product: Product): LazyProduct => ({
  ...(product.commands === undefined ? {} : { commands: product.commands }),
  loadModules: () => Promise.resolve(product.modules)
})

/** The command line as an effect: the exit code, every failure mapped to its message. */
export const program = (argv: ReadonlyArray<string>, product: Product): Effect.Effect<number> => programOf(argv, eager(product))

/**
 * Runs the command line of a product whose modules load on first use (see {@link LazyProduct}) and
 * sets the process's exit code.
 */
export const runLazyCli = (argv: ReadonlyArray<string>, product: LazyProduct): void => {
  Effect.runPromiseExit(programOf(argv, product)).then((exit) => {
    if (Exit.isSuccess(exit)) {
      process.exitCode = exit.value
    } else {
      process.stderr.write(`unexpected error:\n${Cause.pretty(exit.cause)}\n`)
      process.exitCode = Cause.isInterruptedOnly(exit.cause) ? 130 : 1
    }
  })
}

/**
 * Runs the `pipeline` command line for a product and sets the process's exit code. A product
 * built on this package calls it from its own bin script with its own modules and verbs.
 */
export const runCli = (argv: ReadonlyArray<string>, product: Product): void => runLazyCli(argv, eager(product))
