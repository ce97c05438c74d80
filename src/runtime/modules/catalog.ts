/**
 * The catalog: every stage kind, layer definition and worker task a pipeline can use — the
 * shipped modules' and those its `kinds:` entries loaded — with where each came from. Names are
 * unique: a user module cannot silently replace a shipped kind or layer.
 */
import { Layer } from "effect"
import { messageOf, RunError } from "../errors.js"
import type { LayerDefinition } from "../layer-definition.js"
import { ProgressSettings, StoreSettings } from "../layer-settings.js"
import { makeRegistry, type StageRegistry } from "../registry.js"
import type { IssueLog } from "../spec/issue-log.js"
import type { LayerSchemas } from "../spec/layers.js"
import type { PipelineSpec } from "../spec/pipeline-spec.js"
import type { StageKind } from "../stage-kind.js"
import type { LoadedModule } from "./load-modules.js"
import type { ModuleContents, WorkerTaskRef } from "./module-contents.js"

export interface Catalog {
  readonly registry: StageRegistry<unknown>
  /** Layer definitions in the order their layers are built (shipped first, then users'). */
  readonly layers: ReadonlyArray<LayerDefinition>
  readonly tasks: ReadonlyArray<WorkerTaskRef>
  /** Where each kind, layer and task came from: `shipped` or the module entry that named it. */
  readonly origins: ReadonlyMap<string, string>
}

/** Layers the runtime itself configures (the artifact store and progress); no module may take these names. */
export const RUNTIME_LAYERS: LayerSchemas = {
  store: StoreSettings as unknown as LayerSchemas[string],
  progress: ProgressSettings as unknown as LayerSchemas[string]
}

const originKey = (what: "kind" | "layer" | "task", name: string): string => `${what}:${name}`

/** The catalog of the shipped modules. Throws on a duplicate name: that is a bug of the product, not input. */
export const shippedCatalog = (modules: ReadonlyArray<ModuleContents>): Catalog => {
  const kinds: Array<StageKind<unknown>> = modules.flatMap((m) => m.kinds)
  const layers = modules.flatMap((m) => m.layers)
  const tasks = modules.flatMap((m) => m.tasks)
  const origins = new Map<string, string>()
  for (const [what, names] of [
    ["kind", kinds.map((k) => k.name)],
    ["layer", layers.map((l) => l.name)],
    ["task", tasks.map((t) => t.name)]
  ] as const) {
    for (const name of names) {
      if (origins.has(originKey(what, name)) || (what === "layer" && Object.hasOwn(RUNTIME_LAYERS, name))) {
        throw new Error(`shipped ${what} '${name}' is defined twice`)
      }
      origins.set(originKey(what, name), "shipped")
    }
  }
  return { registry: makeRegistry(kinds), layers, tasks, origins }
}

/** `base` plus the loaded modules' contents; a name taken already is logged at the entry that brought it. */
export const extendCatalog = (base: Catalog, loaded: ReadonlyArray<LoadedModule>, log: IssueLog): Catalog => {
  if (loaded.length === 0) return base
  const kinds = new Map(base.registry.kinds)
  const layers = [...base.layers]
  const tasks = [...base.tasks]
  const origins = new Map(base.origins)
  for (const module of loaded) {
    const from = module.entry.specifier
    const claim = (what: "kind" | "layer" | "task", name: string): boolean => {
      const taken = origins.get(originKey(what, name)) ?? (what === "layer" && Object.hasOwn(RUNTIME_LAYERS, name) ? "the runtime" : undefined)
      if (taken !== undefined) {
        const by = taken === "shipped" ? "a shipped one" : taken === "the runtime" ? "the runtime's own" : `the one from '${taken}'`
        log.atLocation(module.entry.loc, ["kinds"], `module '${from}' defines ${what} '${name}', which clashes with ${by}; rename it`)
        return false
      }
      origins.set(originKey(what, name), from)
      return true
    }
    for (const kind of module.contents.kinds) if (claim("kind", kind.name)) kinds.set(kind.name, kind)
    for (const layer of module.contents.layers) if (claim("layer", layer.name)) layers.push(layer)
    for (const task of module.contents.tasks) if (claim("task", task.name)) tasks.push(task)
  }
  return { registry: { kinds }, layers, tasks, origins }
}

/** Where a kind came from: `shipped` or the module entry. */
export const originOfKind = (catalog: Catalog, kind: string): string => catalog.origins.get(originKey("kind", kind)) ?? "shipped"

/** The settings Schema of every layer a pipeline may configure, for the loader. */
export const layerSchemasOf = (catalog: Catalog): LayerSchemas => {
  const schemas: Record<string, LayerSchemas[string]> = { ...RUNTIME_LAYERS }
  for (const layer of catalog.layers) schemas[layer.name] = layer.settings
  return schemas
}

/** Layers given in place of a definition's own, by layer name (`{ faiss: FaissReference.layer }`). */
export type LayerOverrides = Readonly<Record<string, Layer.Layer<never, unknown, never>>>

/**
 * The services of a run: every defined layer built from its decoded `layers.<name>` settings, or
 * taken from `overrides` under its name. Each layer may use the services of the layers before it
 * (a user's layer may need Sqlite).
 */
export const servicesOf = (catalog: Catalog, spec: PipelineSpec, overrides: LayerOverrides = {}): Layer.Layer<unknown, RunError> => {
  let services = Layer.empty as unknown as Layer.Layer<unknown, RunError>
  for (const definition of catalog.layers) {
    const override = overrides[definition.name]
    const built = (override ?? definition.layer(spec.layers[definition.name] ?? {})).pipe(
      Layer.mapError(
        (error) => new RunError({ message: `cannot start ${definition.name} (layers.${definition.name}): ${messageOf(error)}` })
      )
    )
    services = Layer.provideMerge(built as unknown as Layer.Layer<unknown, RunError, unknown>, services) as unknown as Layer.Layer<unknown, RunError>
  }
  return services
}
