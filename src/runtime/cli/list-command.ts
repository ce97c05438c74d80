/**
 * `pipeline list [FILE]`: every stage kind (its inputs, output and config fields with types and
 * defaults), every configurable layer and every worker task. With FILE, the modules its `kinds:`
 * names are loaded and listed beside the shipped ones, each marked with the module it came from.
 */
import { Console, Effect } from "effect"
import type { PipelineInvalid } from "../errors.js"
import { type Catalog, originOfKind } from "../modules/catalog.js"
import { describeFields, type FieldDescription } from "../schema-fields.js"
import type { ParsedArgs } from "./args.js"
import { loadFromArgs } from "./load.js"

const fieldLines = (fields: ReadonlyArray<FieldDescription>): ReadonlyArray<string> =>
  fields.map((f) => {
    const dflt = f.required ? "required" : `default ${JSON.stringify(f.default)}`
    return `    ${f.name}: ${f.type} (${dflt})${f.description === undefined ? "" : ` — ${f.description}`}`
  })

const fromText = (origin: string | undefined): string => (origin === undefined || origin === "shipped" ? "" : `  [from ${origin}]`)

export const describeCatalog = (catalog: Catalog): string => {
  const blocks: Array<string> = []
  for (const kind of [...catalog.registry.kinds.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const lines = [`${kind.name} (version ${kind.version})${fromText(originOfKind(catalog, kind.name))}`, `  ${kind.description}`]
    const inputs = Object.entries(kind.inputs)
    lines.push(
      inputs.length === 0
        ? "  inputs: none"
        : `  inputs: ${inputs.map(([name, input]) => `${name}: ${input.artifact.name}${input.many === true ? " (a list of one or more)" : ""}`).join(", ")}`
    )
    lines.push(`  output: ${kind.output.name}`)
    if (kind.resultLayers.length > 0) lines.push(`  results depend on: ${kind.resultLayers.map((l) => `layers.${l}`).join(", ")}`)
    lines.push("  config:", ...fieldLines(describeFields(kind.config)))
    blocks.push(lines.join("\n"))
  }
  const layers = catalog.layers.map((layer) => {
    const fields = describeFields(layer.settings)
    return [
      `layers.${layer.name}${fromText(catalog.origins.get(`layer:${layer.name}`))}`,
      `  ${layer.description}`,
      ...(fields.length === 0 ? ["  settings: none"] : ["  settings:", ...fieldLines(fields)])
    ].join("\n")
  })
  const tasks = catalog.tasks.map((task) => `  ${task.name}${fromText(catalog.origins.get(`task:${task.name}`))}`)
  return [
    blocks.join("\n\n"),
    ...(layers.length === 0 ? [] : ["Layers (settings under `layers:`):", layers.join("\n\n")]),
    ...(tasks.length === 0 ? [] : [`Worker tasks:\n${tasks.join("\n")}`])
  ].join("\n\n")
}

export const listCommand = (args: ParsedArgs, base: Catalog): Effect.Effect<number, PipelineInvalid> =>
  Effect.gen(function* () {
    const file = args.positionals[0]
    const catalog = file === undefined ? base : (yield* loadFromArgs(file, args, base)).catalog
    yield* Console.log(describeCatalog(catalog))
    return 0
  })
