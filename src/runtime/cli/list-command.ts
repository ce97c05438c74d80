/** `pipeline list`: every stage kind, its inputs, output and config fields with types and defaults. */
import { Console, Effect } from "effect"
import type { StageRegistry } from "../registry.js"
import { describeFields } from "../schema-fields.js"

export const listCommand = (registry: StageRegistry<unknown>): Effect.Effect<number> =>
  Effect.gen(function* () {
    const blocks: Array<string> = []
    for (const kind of [...registry.kinds.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      const lines = [`${kind.name} (version ${kind.version})`, `  ${kind.description}`]
      const inputs = Object.entries(kind.inputs)
      lines.push(
        inputs.length === 0
          ? "  inputs: none"
          : `  inputs: ${inputs.map(([name, input]) => `${name}: ${input.artifact.name}`).join(", ")}`
      )
      lines.push(`  output: ${kind.output.name}`)
      if (kind.resultLayers.length > 0) lines.push(`  results depend on: ${kind.resultLayers.map((l) => `layers.${l}`).join(", ")}`)
      lines.push("  config:")
      for (const f of describeFields(kind.config)) {
        const dflt = f.required ? "required" : `default ${JSON.stringify(f.default)}`
        lines.push(`    ${f.name}: ${f.type} (${dflt})${f.description === undefined ? "" : ` — ${f.description}`}`)
      }
      blocks.push(lines.join("\n"))
    }
    yield* Console.log(blocks.join("\n\n"))
    return 0
  })
