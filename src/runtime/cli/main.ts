/**
 * The `pipeline` command. Exit codes: 0 success, 1 failed run (or an unexpected error), 2 invalid
 * input (pipeline file, overrides, command line), 130 interrupted run. The product (its stage kinds
 * and the services they need) is a parameter: the runtime does not know the stages it runs.
 */
import { Cause, Console, Effect, Either, Exit } from "effect"
import { formatIssue } from "../errors.js"
import { type Catalog, shippedCatalog } from "../modules/catalog.js"
import { helpText, parseArgs } from "./args.js"
import { graphCommand } from "./graph-command.js"
import { runsCommand, showCommand } from "./history-command.js"
import { listCommand } from "./list-command.js"
import { planCommand, validateCommand } from "./plan-command.js"
import { runCommand, type Product } from "./run-command.js"
import { verbs } from "./verbs.js"
import { suggestionText } from "../text/did-you-mean.js"

const allVerbs = (product: Product) => [...verbs, ...(product.commands ?? []).map((c) => c.verb)]

const topHelp = (product: Product): string =>
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

const dispatch = (argv: ReadonlyArray<string>, product: Product, catalog: Catalog) =>
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
    const productCommand = product.commands?.find((c) => c.verb === verb)
    if (productCommand !== undefined) return yield* productCommand.run(args, catalog)
    switch (verb.name) {
      case "run":
        return yield* runCommand(args, catalog, argv)
      case "plan":
        return yield* planCommand(args, catalog)
      case "validate":
        return yield* validateCommand(args, catalog)
      case "list":
        return yield* listCommand(args, catalog)
      case "graph":
        return yield* graphCommand(args, catalog)
      case "runs":
        return yield* runsCommand(args, catalog)
      default:
        return yield* showCommand(args, catalog)
    }
  })

/** Maps every failure to its message and exit code; nothing escapes as a stack dump. */
export const program = (argv: ReadonlyArray<string>, product: Product): Effect.Effect<number> =>
  Effect.suspend(() => dispatch(argv, product, shippedCatalog(product.modules))).pipe(
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

/**
 * Runs the `pipeline` command line for a product and sets the process's exit code. A product
 * built on this package calls it from its own bin script with its own modules and verbs.
 */
export const runCli = (argv: ReadonlyArray<string>, product: Product): void => {
  Effect.runPromiseExit(program(argv, product)).then((exit) => {
    if (Exit.isSuccess(exit)) {
      process.exitCode = exit.value
    } else {
      process.stderr.write(`unexpected error:\n${Cause.pretty(exit.cause)}\n`)
      process.exitCode = Cause.isInterruptedOnly(exit.cause) ? 130 : 1
    }
  })
}
