/**
 * What a pipeline module contributes, found among its exports by brand (`_tag`): stage kinds
 * (`defineStageKind`), layer definitions (`defineLayer`) and worker tasks (`defineWorkerTask`).
 * Brands rather than `instanceof`, so values made by another copy of this package count too.
 *
 * Exports are looked at one level deep: a branded value, an array of them, or a plain object whose
 * values are (e.g. `export default { kinds: [a, b], layers: [l] }`). Anything else is ignored,
 * so a module may export helpers beside its kinds.
 */
import { Schema } from "effect"
import type { LayerDefinition } from "../layer-definition.js"
import { LAYER_NAME } from "../layer-definition.js"
import type { StageKind } from "../stage-kind.js"

/** A worker task as the module loader sees it (the pool itself loads tasks from `module`). */
export interface WorkerTaskRef {
  readonly _tag: "WorkerTask"
  readonly name: string
  /** URL of the module that exports the task, so a worker thread can import it. */
  readonly module: string
}

export interface ModuleContents {
  readonly kinds: ReadonlyArray<StageKind<unknown>>
  readonly layers: ReadonlyArray<LayerDefinition>
  readonly tasks: ReadonlyArray<WorkerTaskRef>
}

export const emptyContents: ModuleContents = { kinds: [], layers: [], tasks: [] }

const KIND_NAME = /^[a-z][a-z0-9-]*$/

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

const brandOf = (value: unknown): "StageKind" | "LayerDefinition" | "WorkerTask" | undefined => {
  if (!isObject(value)) return undefined
  const tag = value["_tag"]
  return tag === "StageKind" || tag === "LayerDefinition" || tag === "WorkerTask" ? tag : undefined
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  isObject(value) && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)

/** What is wrong with a branded value, or undefined when it is well-formed. */
const malformation = (value: Record<string, unknown>, brand: "StageKind" | "LayerDefinition" | "WorkerTask"): string | undefined => {
  const missing: Array<string> = []
  const name = value["name"]
  if (typeof name !== "string") missing.push("a string `name`")
  switch (brand) {
    case "StageKind": {
      if (typeof name === "string" && !KIND_NAME.test(name)) return `stage kind name '${name}' must be lowercase letters, digits and '-'`
      if (!Number.isInteger(value["version"])) missing.push("an integer `version`")
      if (!Schema.isSchema(value["config"])) missing.push("a `config` Schema")
      if (!isObject(value["inputs"])) missing.push("an `inputs` map")
      const output = value["output"]
      if (!isObject(output) || typeof output["name"] !== "string" || !Schema.isSchema(output["schema"])) {
        missing.push("an `output` artifact kind (defineArtifactKind)")
      }
      if (typeof value["run"] !== "function") missing.push("a `run` function")
      if (!Array.isArray(value["resultLayers"])) missing.push("a `resultLayers` list")
      break
    }
    case "LayerDefinition":
      if (typeof name === "string" && !LAYER_NAME.test(name)) return `layer name '${name}' must be lowercase letters, digits and '-'`
      if (!Schema.isSchema(value["settings"])) missing.push("a `settings` Schema")
      if (typeof value["layer"] !== "function") missing.push("a `layer` function")
      break
    case "WorkerTask":
      if (typeof value["module"] !== "string") missing.push("a `module` URL (import.meta.url)")
      if (!Schema.isSchema(value["input"]) || !Schema.isSchema(value["output"])) missing.push("`input` and `output` Schemas")
      if (typeof value["run"] !== "function") missing.push("a `run` function")
      break
  }
  return missing.length === 0 ? undefined : `it lacks ${missing.join(", ")}`
}

const what = { StageKind: "stage kind", LayerDefinition: "layer definition", WorkerTask: "worker task" } as const

/**
 * The contents of a module's namespace, or the problems that make it unusable (each naming the
 * export). A module that contributes nothing is a problem too: it is almost surely the wrong file.
 */
export const collectContents = (
  namespace: Readonly<Record<string, unknown>>
): { readonly contents: ModuleContents } | { readonly problems: ReadonlyArray<string> } => {
  const kinds: Array<StageKind<unknown>> = []
  const layers: Array<LayerDefinition> = []
  const tasks: Array<WorkerTaskRef> = []
  const problems: Array<string> = []
  const seen = new Set<unknown>()

  const take = (value: unknown, where: string): boolean => {
    const brand = brandOf(value)
    if (brand === undefined || !isObject(value)) return false
    if (seen.has(value)) return true
    seen.add(value)
    const wrong = malformation(value, brand)
    if (wrong !== undefined) {
      problems.push(`export ${where} is a malformed ${what[brand]}: ${wrong}`)
      return true
    }
    if (brand === "StageKind") kinds.push(value as unknown as StageKind<unknown>)
    else if (brand === "LayerDefinition") layers.push(value as unknown as LayerDefinition)
    else tasks.push(value as unknown as WorkerTaskRef)
    return true
  }

  for (const [exportName, value] of Object.entries(namespace)) {
    if (take(value, `'${exportName}'`)) continue
    if (Array.isArray(value)) {
      value.forEach((item, i) => take(item, `'${exportName}[${i}]'`))
    } else if (isPlainObject(value)) {
      for (const [key, inner] of Object.entries(value)) {
        if (take(inner, `'${exportName}.${key}'`)) continue
        if (Array.isArray(inner)) inner.forEach((item, i) => take(item, `'${exportName}.${key}[${i}]'`))
      }
    }
  }
  if (problems.length > 0) return { problems }
  if (kinds.length + layers.length + tasks.length === 0) {
    return {
      problems: [
        "it exports no stage kinds, layer definitions or worker tasks (export values made with defineStageKind, defineLayer or defineWorkerTask)"
      ]
    }
  }
  return { contents: { kinds, layers, tasks } }
}

/** Every module's contents together, in order. */
export const mergeContents = (all: ReadonlyArray<ModuleContents>): ModuleContents => ({
  kinds: all.flatMap((c) => c.kinds),
  layers: all.flatMap((c) => c.layers),
  tasks: all.flatMap((c) => c.tasks)
})
