/**
 * Wiring between stages: `needs` must name existing stages, and every input a kind declares must be
 * fed by exactly one stage whose output artifact kind matches. An input is wired explicitly
 * (`inputs: { series: nums }`), by a needed stage with the input's name, or by the single needed
 * stage producing the input's artifact kind. Everything that feeds an input is also a dependency.
 */
import { suggestionText } from "../text/did-you-mean.js"
import type { IssueLog } from "./issue-log.js"
import { needsOf, type StageDraft } from "./stage-entry.js"
import { childOf, type SourceNode } from "./source-tree.js"

export interface Wiring {
  readonly inputs: Readonly<Record<string, string>>
  /** `needs` (existing stages only) plus the stages inputs come from, in first-mention order. */
  readonly needs: ReadonlyArray<string>
}

/** The node of the i-th name in a `needs` / `resources` field (a string or a list). */
const itemNode = (field: SourceNode | undefined, i: number, fallback: SourceNode): SourceNode =>
  field?._tag === "List" ? (field.items[i] ?? field) : (field ?? fallback)

const producer = (stage: StageDraft): string =>
  stage.kind === undefined ? `stage '${stage.id}'` : `stage '${stage.id}' (kind ${stage.kind.name})`

/** Wires one stage against all stages (by id, in file order). */
export const wireStage = (stage: StageDraft, stages: ReadonlyMap<string, StageDraft>, log: IssueLog): Wiring => {
  const path = ["stages", stage.id]
  const document = stage.document
  if (document === undefined) return { inputs: {}, needs: [] }
  const ids = [...stages.keys()]
  const needsField = childOf(stage.node, "needs")
  const needs: Array<string> = []
  let unknownNeeds = false
  needsOf(document).forEach((id, i) => {
    if (stages.has(id)) {
      if (!needs.includes(id)) needs.push(id)
      return
    }
    unknownNeeds = true
    const others = ids.filter((other) => other !== stage.id)
    log.at(itemNode(needsField, i, stage.node), [...path, "needs"], `unknown stage '${id}' in needs; ${suggestionText(id, others, "stages")}`)
  })
  const kind = stage.kind
  if (kind === undefined) return { inputs: {}, needs }

  const inputsField = childOf(stage.node, "inputs")
  const given = document.inputs
  const declared = Object.keys(kind.inputs)
  for (const [name, source] of Object.entries(given)) {
    const at = childOf(inputsField, name) ?? inputsField ?? stage.node
    if (!declared.includes(name)) {
      const known = declared.length === 0 ? `kind ${kind.name} takes no inputs` : suggestionText(name, declared, "inputs")
      log.at(at, [...path, "inputs", name], `unknown input '${name}' for kind ${kind.name}; ${known}`)
    } else if (!stages.has(source)) {
      const others = ids.filter((other) => other !== stage.id)
      log.at(at, [...path, "inputs", name], `unknown stage '${source}' wired to input '${name}'; ${suggestionText(source, others, "stages")}`)
    }
  }

  const inputs: Record<string, string> = {}
  for (const [name, input] of Object.entries(kind.inputs)) {
    const artifact = input.artifact.name
    const explicit = given[name]
    const inputPath = [...path, "inputs", name]
    const at = childOf(inputsField, name) ?? stage.node
    let source: string | undefined
    if (explicit !== undefined) {
      source = stages.has(explicit) ? explicit : undefined
      if (source === undefined) continue // already reported above
    } else if (needs.includes(name)) {
      source = name
    } else {
      const candidates = needs.filter((id) => stages.get(id)?.kind?.output.name === artifact)
      if (candidates.length !== 1) {
        // With a misspelt need, the need is the cause; "not wired" would only be a follow-up.
        if (unknownNeeds && candidates.length === 0) continue
        const producers = ids.filter((id) => id !== stage.id && stages.get(id)?.kind?.output.name === artifact)
        const message =
          candidates.length === 0
            ? `input '${name}' (artifact '${artifact}') of kind ${kind.name} is not wired: add 'inputs: { ${name}: STAGE }' or list a stage producing '${artifact}' in needs` +
              (producers.length > 0 ? ` (stages producing it: ${producers.join(", ")})` : " (no stage in this pipeline produces it)")
            : `input '${name}' (artifact '${artifact}') is ambiguous: needed stages ${candidates.join(", ")} all produce it; choose one with 'inputs: { ${name}: ${candidates[0] ?? "STAGE"} }'`
        log.at(stage.node, inputPath, message)
        continue
      }
      source = candidates[0]
    }
    if (source === undefined) continue
    const from = stages.get(source)
    const produced = from?.kind?.output.name
    if (from !== undefined && produced !== undefined && produced !== artifact) {
      const where = explicit !== undefined ? at : itemNode(needsField, needsOf(document).indexOf(source), stage.node)
      log.at(where, inputPath, `input '${name}' expects artifact '${artifact}' but ${producer(from)} produces '${produced}'`)
      continue
    }
    inputs[name] = source
    if (!needs.includes(source)) needs.push(source)
  }
  return { inputs, needs }
}
