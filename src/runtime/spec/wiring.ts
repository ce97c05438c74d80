/**
 * Wiring between stages: `needs` must name existing stages, and every input a kind declares must be
 * fed by exactly one stage whose output artifact kind matches. An input is wired explicitly
 * (`inputs: { series: nums }`), by a needed stage with the input's name, or by the single needed
 * stage producing the input's artifact kind. A list input (`many`) is fed by the stages listed for
 * it (`inputs: { evaluations: [a, b] }`) or by every needed stage producing its kind, at least one.
 * Everything that feeds an input is also a dependency.
 */
import { suggestionText } from "../text/did-you-mean.js"
import type { IssueLog } from "./issue-log.js"
import { needsOf, type StageDraft } from "./stage-entry.js"
import { childOf, type SourceNode } from "./source-tree.js"

export interface Wiring {
  readonly inputs: Readonly<Record<string, string>>
  readonly inputLists: Readonly<Record<string, ReadonlyArray<string>>>
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
  if (document === undefined) return { inputs: {}, inputLists: {}, needs: [] }
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
  if (kind === undefined) return { inputs: {}, inputLists: {}, needs }

  const inputsField = childOf(stage.node, "inputs")
  const given = document.inputs
  const declared = Object.keys(kind.inputs)
  for (const [name, value] of Object.entries(given)) {
    const at = childOf(inputsField, name) ?? inputsField ?? stage.node
    if (!declared.includes(name)) {
      const known = declared.length === 0 ? `kind ${kind.name} takes no inputs` : suggestionText(name, declared, "inputs")
      log.at(at, [...path, "inputs", name], `unknown input '${name}' for kind ${kind.name}; ${known}`)
      continue
    }
    if (typeof value !== "string" && kind.inputs[name]?.many !== true) {
      log.at(at, [...path, "inputs", name], `input '${name}' of kind ${kind.name} takes one stage, found a list of ${value.length}`)
      continue
    }
    for (const source of typeof value === "string" ? [value] : value) {
      if (stages.has(source)) continue
      const others = ids.filter((other) => other !== stage.id)
      log.at(at, [...path, "inputs", name], `unknown stage '${source}' wired to input '${name}'; ${suggestionText(source, others, "stages")}`)
    }
  }

  const inputs: Record<string, string> = {}
  const inputLists: Record<string, ReadonlyArray<string>> = {}
  for (const [name, input] of Object.entries(kind.inputs)) {
    const artifact = input.artifact.name
    if (input.many === true) {
      const sources = wireList(stage, stages, name, input.artifact.name, needs, unknownNeeds, log)
      if (sources === undefined) continue
      inputLists[name] = sources
      for (const source of sources) if (!needs.includes(source)) needs.push(source)
      continue
    }
    const given1 = given[name]
    if (typeof given1 !== "string" && given1 !== undefined) continue // reported above
    const explicit = given1
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
  return { inputs, inputLists, needs }
}

/** The stages feeding list input `name`, or undefined (logged) when it cannot be wired. */
const wireList = (
  stage: StageDraft,
  stages: ReadonlyMap<string, StageDraft>,
  name: string,
  artifact: string,
  needs: ReadonlyArray<string>,
  unknownNeeds: boolean,
  log: IssueLog
): ReadonlyArray<string> | undefined => {
  const path = ["stages", stage.id, "inputs", name]
  const inputsField = childOf(stage.node, "inputs")
  const at = childOf(inputsField, name) ?? stage.node
  const given = stage.document?.inputs[name]
  const kindName = stage.kind?.name ?? "?"
  if (given !== undefined) {
    const sources = typeof given === "string" ? [given] : [...given]
    if (sources.some((source) => !stages.has(source))) return undefined // reported above
    if (sources.length === 0) {
      log.at(at, path, `list input '${name}' of kind ${kindName} needs at least one stage producing '${artifact}'`)
      return undefined
    }
    let ok = true
    for (const source of sources) {
      const produced = stages.get(source)?.kind?.output.name
      if (produced !== undefined && produced !== artifact) {
        log.at(at, path, `input '${name}' expects artifact '${artifact}' but ${producer(stages.get(source)!)} produces '${produced}'`)
        ok = false
      }
    }
    return ok ? sources : undefined
  }
  const candidates = needs.filter((id) => stages.get(id)?.kind?.output.name === artifact)
  if (candidates.length === 0) {
    if (!unknownNeeds) {
      log.at(stage.node, path, `list input '${name}' (artifact '${artifact}') of kind ${kindName} is not wired: add 'inputs: { ${name}: [STAGE, ...] }' or list stages producing '${artifact}' in needs`)
    }
    return undefined
  }
  return candidates
}
