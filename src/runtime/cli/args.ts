/**
 * Command-line parsing: a verb, its positionals and its flags, declared per verb so that `--help`
 * and the errors (unknown flag with a did-you-mean, missing value) come from one table.
 */
import * as Either from "effect/Either" // not the barrel: `pipeline --help` loads this module (cli/main.ts)
import { UsageError } from "../errors.js"
import { suggestionText } from "../text/did-you-mean.js"

export interface FlagSpec {
  readonly name: string
  readonly type: "boolean" | "string" | "int" | "list"
  readonly placeholder?: string
  readonly description: string
}

export interface VerbSpec {
  readonly name: string
  readonly summary: string
  readonly positionals: ReadonlyArray<{ readonly name: string; readonly required: boolean; readonly description: string }>
  readonly flags: ReadonlyArray<FlagSpec>
}

export interface ParsedArgs {
  readonly positionals: ReadonlyArray<string>
  readonly strings: ReadonlyMap<string, string>
  readonly lists: ReadonlyMap<string, ReadonlyArray<string>>
  readonly booleans: ReadonlySet<string>
  readonly ints: ReadonlyMap<string, number>
}

const usage = (verb: VerbSpec, message: string) =>
  new UsageError({ message: `${message}\nRun 'pipeline ${verb.name} --help' for usage.` })

export const parseArgs = (verb: VerbSpec, argv: ReadonlyArray<string>): Either.Either<ParsedArgs, UsageError> => {
  const positionals: Array<string> = []
  const strings = new Map<string, string>()
  const lists = new Map<string, Array<string>>()
  const booleans = new Set<string>()
  const ints = new Map<string, number>()
  const flagNames = verb.flags.map((f) => f.name)
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith("--") || arg === "--") {
      positionals.push(arg)
      continue
    }
    const eq = arg.indexOf("=")
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq)
    const spec = verb.flags.find((f) => f.name === name)
    if (spec === undefined) {
      return Either.left(usage(verb, `unknown flag --${name} for '${verb.name}'; ${suggestionText(name, flagNames, "flags")}`))
    }
    if (spec.type === "boolean") {
      if (eq !== -1) return Either.left(usage(verb, `--${name} takes no value`))
      booleans.add(name)
      continue
    }
    let value: string | undefined
    if (eq !== -1) value = arg.slice(eq + 1)
    else {
      value = argv[i + 1]
      i += 1
    }
    if (value === undefined || value === "") {
      return Either.left(usage(verb, `--${name} needs a value (${spec.placeholder ?? spec.type})`))
    }
    if (spec.type === "int") {
      const n = Number(value)
      if (!Number.isInteger(n) || n < 1) {
        return Either.left(usage(verb, `--${name}: expected a positive integer, found '${value}'`))
      }
      ints.set(name, n)
    } else if (spec.type === "list") {
      lists.set(name, [...(lists.get(name) ?? []), value])
    } else {
      strings.set(name, value)
    }
  }
  const required = verb.positionals.filter((p) => p.required)
  if (positionals.length < required.length) {
    return Either.left(usage(verb, `missing ${required[positionals.length]!.name}`))
  }
  if (positionals.length > verb.positionals.length) {
    return Either.left(usage(verb, `unexpected argument '${positionals[verb.positionals.length]}'`))
  }
  return Either.right({ positionals, strings, lists, booleans, ints })
}

export const helpText = (verb: VerbSpec): string => {
  const args = verb.positionals.map((p) => (p.required ? p.name : `[${p.name}]`)).join(" ")
  const lines = [`Usage: pipeline ${verb.name}${args === "" ? "" : " " + args} [flags]`, "", verb.summary, ""]
  if (verb.positionals.length > 0) {
    lines.push("Arguments:")
    for (const p of verb.positionals) lines.push(`  ${p.name.padEnd(24)} ${p.description}`)
    lines.push("")
  }
  lines.push("Flags:")
  for (const f of [...verb.flags, { name: "help", type: "boolean", description: "show this help" } as const]) {
    const left = f.type === "boolean" ? `--${f.name}` : `--${f.name} ${"placeholder" in f && f.placeholder ? f.placeholder : f.type.toUpperCase()}`
    lines.push(`  ${left.padEnd(24)} ${f.description}${f.type === "list" ? " (repeatable)" : ""}`)
  }
  return lines.join("\n")
}

/**
 * A `--port` value: digits only, from `min` (0 where the OS may choose one) to 65535; `fallback`
 * when the flag is absent. `why` follows the range in the error, e.g. why 0 is not allowed.
 */
export const parsePortFlag = (
  text: string | undefined,
  fallback: number,
  min: 0 | 1 = 0,
  why = ""
): Either.Either<number, UsageError> => {
  if (text === undefined) return Either.right(fallback)
  const n = Number(text)
  return /^\d+$/.test(text) && n >= min && n <= 65535
    ? Either.right(n)
    : Either.left(new UsageError({ message: `--port: expected an integer from ${min} to 65535, found '${text}'${why}` }))
}
