/** `pipeline graph FILE`: the DAG as a Mermaid flowchart or Graphviz DOT, on stdout. */
import { Console, Effect } from "effect"
import { UsageError, type PipelineInvalid } from "../errors.js"
import type { Catalog } from "../modules/catalog.js"
import type { PipelineSpec } from "../spec/pipeline-spec.js"
import type { ParsedArgs } from "./args.js"
import { loadFromArgs } from "./load.js"

const edges = (spec: PipelineSpec) =>
  spec.stages.flatMap((s) =>
    s.needs.map((from) => {
      const input =
        Object.entries(s.inputs).find(([, id]) => id === from)?.[0] ??
        Object.entries(s.inputLists).find(([, ids]) => ids.includes(from))?.[0]
      return { from, to: s.id, label: input }
    })
  )

export const mermaid = (spec: PipelineSpec): string => {
  const lines = ["flowchart LR"]
  for (const s of spec.stages) lines.push(`  ${s.id}["${s.id}<br/><small>${s.kind}</small>"]`)
  for (const e of edges(spec)) lines.push(e.label === undefined ? `  ${e.from} --> ${e.to}` : `  ${e.from} -->|${e.label}| ${e.to}`)
  return lines.join("\n")
}

export const dot = (spec: PipelineSpec): string => {
  const lines = [`digraph "${spec.name}" {`, "  rankdir=LR;", "  node [shape=box];"]
  for (const s of spec.stages) lines.push(`  "${s.id}" [label="${s.id}\\n${s.kind}"];`)
  for (const e of edges(spec)) lines.push(`  "${e.from}" -> "${e.to}"${e.label === undefined ? "" : ` [label="${e.label}"]`};`)
  lines.push("}")
  return lines.join("\n")
}

export const graphCommand = (
  args: ParsedArgs,
  base: Catalog
): Effect.Effect<number, PipelineInvalid | UsageError> =>
  Effect.gen(function* () {
    const format = args.strings.get("format") ?? "mermaid"
    if (format !== "mermaid" && format !== "dot") {
      return yield* new UsageError({ message: `--format: expected mermaid or dot, found '${format}'` })
    }
    const { spec } = yield* loadFromArgs(args.positionals[0]!, args, base)
    yield* Console.log(format === "dot" ? dot(spec) : mermaid(spec))
    return 0
  })
