/**
 * `loadPipeline`: from a pipeline file (plus config/default.yaml, a profile and `--set` overrides)
 * to a validated `PipelineSpec`, or `PipelineInvalid` with every problem found, each located at the
 * file and line (or `--set` argument) the offending value came from.
 *
 * Order: parse --set arguments, read and merge the files, apply overrides, check top-level keys,
 * interpolate `${params.x}`, decode each part, check each stage, wire, order the DAG. Checks keep
 * going past problems wherever the rest can still be checked meaningfully.
 */
import * as path from "node:path"
import { Effect, Either, Schema } from "effect"
import { PipelineInvalid } from "../errors.js"
import type { StageRegistry } from "../registry.js"
import { checkKeys } from "./check-keys.js"
import { topoOrder } from "./dag.js"
import { Params, PipelineName, Resources, TOP_LEVEL_KEYS } from "./document-schema.js"
import { IssueLog, nodeKind } from "./issue-log.js"
import { MAX_STAGES, RESERVED_NAMES, reservedNameMessage } from "./limits.js"
import { interpolateParams } from "./interpolate.js"
import { checkLayers } from "./layers.js"
import { applyOverrides, type Override, parseOverride } from "./overrides.js"
import { logParseError } from "./parse-issues.js"
import type { PipelineSpec, StageSpec } from "./pipeline-spec.js"
import { defaultConfigDir, projectDirOf } from "./project-dir.js"
import { readSources } from "./sources.js"
import { childOf, type MapNode, type PathSegment, type SourceNode, toPlain } from "./source-tree.js"
import { checkStageEntry, resourcesOf, type StageDraft } from "./stage-entry.js"
import { type Wiring, wireStage } from "./wiring.js"

export interface LoadOptions {
  /** Path of the pipeline YAML (with `text`: the name it has in messages, and where `kinds:` resolve from). */
  readonly file: string
  /** The pipeline's YAML text, for a pipeline that is not in a file. */
  readonly text?: string | undefined
  /** `--set` values, e.g. "stages.clusters.with.k=64", "params.profiles=1000". */
  readonly sets?: ReadonlyArray<string>
  /** `--profile NAME`: `<configDir>/NAME.yaml` merged under the file. */
  readonly profile?: string | undefined
  /** Default `<project>/config` (project-dir.ts); its `default.yaml`, if present, is merged under everything. */
  readonly configDir?: string
  readonly registry: StageRegistry<unknown>
  /** Settings schema per known layer name; without it layer settings are accepted as plain maps. */
  readonly layers?: Readonly<Record<string, Schema.Schema<unknown, unknown>>>
}

const decodePart = <A, I>(schema: Schema.Schema<A, I>, node: SourceNode, at: ReadonlyArray<PathSegment>, log: IssueLog): A | undefined => {
  const decoded = Schema.decodeUnknownEither(schema, { errors: "all" })(toPlain(node))
  if (Either.isRight(decoded)) return decoded.right
  logParseError(log, decoded.left, node, at)
  return undefined
}

/** Logs the keys of a name map (params, resources) that are reserved JavaScript names. */
const checkNames = (node: SourceNode | undefined, root: "params" | "resources", what: string, log: IssueLog): void => {
  if (node?._tag !== "Map") return
  for (const entry of node.entries) {
    if (RESERVED_NAMES.has(entry.key)) log.atLocation(entry.keyLoc, [root, entry.key], reservedNameMessage(what, entry.key))
  }
}

const checkStages = (root: MapNode, options: LoadOptions, resources: ReadonlyArray<string>, log: IssueLog): ReadonlyArray<StageSpec> => {
  const node = childOf(root, "stages")
  if (node === undefined) {
    log.at(root, ["stages"], "missing 'stages': add a map of stage id -> { uses: KIND, ... }")
    return []
  }
  if (node._tag !== "Map") {
    log.at(node, ["stages"], `expected a map of stage id -> { uses: KIND, ... }, found ${nodeKind(node)}`)
    return []
  }
  if (node.entries.length === 0) {
    log.at(node, ["stages"], "no stages: 'stages' is an empty map; add at least one stage id -> { uses: KIND, ... }")
    return []
  }
  if (node.entries.length > MAX_STAGES) {
    log.at(node, ["stages"], `${node.entries.length} stages, more than the limit of ${MAX_STAGES} stages in one pipeline`)
    return []
  }
  const drafts = new Map<string, StageDraft>()
  for (const entry of node.entries) drafts.set(entry.key, checkStageEntry(entry, options.registry, resources, log))
  const wiring = new Map<string, Wiring>()
  for (const draft of drafts.values()) wiring.set(draft.id, wireStage(draft, drafts, log))
  const ids = [...drafts.keys()]
  const { order, cycle } = topoOrder(ids, new Map([...wiring].map(([id, w]) => [id, w.needs])))
  const first = cycle?.[0]
  const firstDraft = first === undefined ? undefined : drafts.get(first)
  if (cycle !== undefined && firstDraft !== undefined) {
    log.atLocation(firstDraft.location, ["stages", firstDraft.id, "needs"], `dependency cycle: ${[...cycle, firstDraft.id].join(" -> ")} (each stage needs the next); remove one of these dependencies`)
  }
  const specs: Array<StageSpec> = []
  for (const id of order) {
    const draft = drafts.get(id)
    const wired = wiring.get(id)
    if (draft?.kind === undefined || draft.document === undefined || draft.config === undefined || wired === undefined) continue
    specs.push({
      id,
      kind: draft.kind.name,
      config: draft.config.decoded,
      configEncoded: draft.config.encoded,
      inputs: wired.inputs,
      inputLists: wired.inputLists,
      needs: wired.needs,
      retry: { times: draft.document.retry.times, baseMs: draft.document.retry.base, maxMs: draft.document.retry.max },
      timeoutMs: draft.document.timeout,
      resources: resourcesOf(draft.document),
      location: draft.location
    })
  }
  return specs
}

/** Builds the spec, logging every issue; the result is only meaningful when nothing was logged. */
const buildSpec = (options: LoadOptions, log: IssueLog): PipelineSpec | undefined => {
  const overrides: Array<Override> = []
  for (const arg of options.sets ?? []) {
    const parsed = parseOverride(arg, log)
    if (parsed !== undefined) overrides.push(parsed)
  }
  const configDir = options.configDir ?? defaultConfigDir(options.file)
  const merged = readSources({ file: options.file, text: options.text, profile: options.profile, configDir }, log)
  if (merged === undefined) return undefined
  const layerNames = options.layers === undefined ? undefined : Object.keys(options.layers)
  const applied = applyOverrides(merged, overrides, layerNames, log)
  checkKeys(log, applied, [], TOP_LEVEL_KEYS, "top-level key")

  const nameNode = childOf(applied, "pipeline")
  if (nameNode === undefined) log.at(applied, ["pipeline"], "missing 'pipeline': name the pipeline, e.g. 'pipeline: full'")
  const name = nameNode === undefined ? undefined : decodePart(PipelineName, nameNode, ["pipeline"], log)
  const paramsNode = childOf(applied, "params")
  checkNames(paramsNode, "params", "param name", log)
  const params = paramsNode === undefined ? {} : decodePart(Params, paramsNode, ["params"], log) ?? {}

  const root = interpolateParams(applied, log)
  const descriptionNode = childOf(root, "description")
  const description = descriptionNode === undefined ? "" : decodePart(Schema.String, descriptionNode, ["description"], log) ?? ""
  const resourcesNode = childOf(root, "resources")
  checkNames(resourcesNode, "resources", "resource name", log)
  const resources = resourcesNode === undefined ? {} : decodePart(Resources, resourcesNode, ["resources"], log) ?? {}
  const layers = checkLayers(childOf(root, "layers"), root, options.layers, log)
  const stages = checkStages(root, options, Object.keys(resources), log)
  if (name === undefined) return undefined

  const dir = layers["store"]?.["dir"]
  return {
    name,
    description,
    file: options.file,
    params,
    layers,
    resources,
    stages,
    // Relative to the project the file belongs to, not to wherever the command was started.
    outputDir:
      typeof dir === "string" && dir !== "" ? path.resolve(projectDirOf(options.file), dir) : path.join(projectDirOf(options.file), "out", name)
  }
}

/** Loads, merges and validates a pipeline; fails with every issue found. */
export const loadPipeline = (options: LoadOptions): Effect.Effect<PipelineSpec, PipelineInvalid> =>
  Effect.suspend(() => {
    const log = new IssueLog()
    const spec = buildSpec(options, log)
    return spec === undefined || log.size > 0
      ? Effect.fail(new PipelineInvalid({ issues: log.sorted() }))
      : Effect.succeed(spec)
  })
