/**
 * Checks one entry under `stages:` on its own: its id, keys, `uses` (a registered kind), the
 * generic fields (needs, inputs, retry, timeout, resources) and its `with` config, decoded by the
 * kind's own Schema with defaults. Wiring between stages is checked afterwards (wiring.ts).
 */
import { Either, Schema } from "effect"
import type { StageRegistry } from "../registry.js"
import { structFieldNames } from "../schema-fields.js"
import type { StageKind } from "../stage-kind.js"
import { suggestionText } from "../text/did-you-mean.js"
import { checkKeys } from "./check-keys.js"
import { RETRY_KEYS, STAGE_ID, STAGE_KEYS, StageDocument } from "./document-schema.js"
import { type IssueLog, nodeKind } from "./issue-log.js"
import { RESERVED_NAMES, reservedNameMessage } from "./limits.js"
import { isUnexpected, logParseError } from "./parse-issues.js"
import type { SourceLocation } from "./source-map.js"
import { childOf, entryOf, type MapEntry, type SourceNode, toPlain } from "./source-tree.js"

export interface StageDraft {
  readonly id: string
  readonly node: SourceNode
  readonly location: SourceLocation
  /** The kind, when `uses` names a registered one. */
  readonly kind: StageKind<unknown> | undefined
  /** The decoded generic fields, when they are valid. */
  readonly document: StageDocument | undefined
  /** Decoded and re-encoded config, when the kind is known and `with` is valid. */
  readonly config: { readonly decoded: unknown; readonly encoded: unknown } | undefined
}

const asList = (value: string | ReadonlyArray<string>): ReadonlyArray<string> =>
  typeof value === "string" ? [value] : value

const checkUses = (id: string, entry: MapEntry, registry: StageRegistry<unknown>, log: IssueLog): StageKind<unknown> | undefined => {
  const known = [...registry.kinds.keys()]
  const uses = childOf(entry.node, "uses")
  if (uses === undefined) {
    log.atLocation(entry.keyLoc, ["stages", id], `stage '${id}' has no 'uses': add the name of the stage kind it runs (known kinds: ${known.join(", ")})`)
    return undefined
  }
  if (uses._tag !== "Scalar" || typeof uses.value !== "string") return undefined // reported by the schema
  const kind = registry.kinds.get(uses.value)
  if (kind === undefined) {
    log.at(uses, ["stages", id, "uses"], `unknown stage kind '${uses.value}'; ${suggestionText(uses.value, known, "kinds")}`)
  }
  return kind
}

const checkResources = (id: string, node: SourceNode, names: ReadonlyArray<string>, declared: ReadonlyArray<string>, log: IssueLog): void => {
  const field = childOf(node, "resources")
  names.forEach((name, i) => {
    if (declared.includes(name)) return
    const at = field?._tag === "List" ? (field.items[i] ?? field) : (field ?? node)
    const hint = suggestionText(name, declared, "resources")
    log.at(at, ["stages", id, "resources"], `undeclared resource '${name}'; declare it under top-level resources (e.g. resources: { ${name}: 1 }) or fix the name: ${hint}`)
  })
}

/** Decodes `with` by the kind's config Schema; logs unknown keys (did-you-mean) and type errors. */
const checkConfig = (id: string, node: SourceNode, kind: StageKind<unknown>, log: IssueLog): StageDraft["config"] => {
  const path = ["stages", id, "with"]
  const withNode = childOf(node, "with")
  const value = withNode === undefined ? {} : toPlain(withNode) ?? {}
  const at = withNode ?? node
  if (withNode !== undefined && withNode._tag !== "Map" && !(withNode._tag === "Scalar" && withNode.value === null)) {
    log.at(at, path, `expected a map of config values for kind ${kind.name}, found ${nodeKind(withNode)}`)
    return undefined
  }
  const names = structFieldNames(kind.config)
  if (names !== undefined) checkKeys(log, withNode, path, names, "config key", ` for kind ${kind.name}`)
  const decoded = Schema.decodeUnknownEither(kind.config, { errors: "all", onExcessProperty: "error" })(value)
  if (Either.isLeft(decoded)) {
    logParseError(log, decoded.left, at, path, names === undefined ? () => false : isUnexpected)
    return undefined
  }
  try {
    return { decoded: decoded.right, encoded: Schema.encodeSync(kind.config)(decoded.right) }
  } catch (cause) {
    log.at(at, path, `config of kind ${kind.name} decodes but cannot be encoded back: ${String(cause)}`)
    return undefined
  }
}

/** Checks one stage entry; always returns a draft so later checks can still use what is valid. */
export const checkStageEntry = (
  entry: MapEntry,
  registry: StageRegistry<unknown>,
  declaredResources: ReadonlyArray<string>,
  log: IssueLog
): StageDraft => {
  const id = entry.key
  const draft = { id, node: entry.node, location: entry.keyLoc, kind: undefined, document: undefined, config: undefined }
  if (!STAGE_ID.test(id)) {
    log.atLocation(entry.keyLoc, ["stages", id], `invalid stage id '${id}': use lowercase letters, digits, '-' and '_', starting with a letter`)
  } else if (RESERVED_NAMES.has(id)) {
    log.atLocation(entry.keyLoc, ["stages", id], reservedNameMessage("stage id", id))
  }
  if (entry.node._tag !== "Map") {
    log.at(entry.node, ["stages", id], `stage '${id}' must be a map with at least 'uses: KIND', found ${nodeKind(entry.node)}`)
    return draft
  }
  checkKeys(log, entry.node, ["stages", id], STAGE_KEYS, "stage field")
  checkKeys(log, childOf(entry.node, "retry"), ["stages", id, "retry"], RETRY_KEYS, "retry setting")
  const kind = checkUses(id, entry, registry, log)
  const decoded = Schema.decodeUnknownEither(StageDocument, { errors: "all" })(toPlain(entry.node))
  let document: StageDocument | undefined
  if (Either.isLeft(decoded)) {
    const skipMissingUses = entryOf(entry.node, "uses") === undefined
    logParseError(log, decoded.left, entry.node, ["stages", id], (i) => skipMissingUses && i.kind === "missing" && i.path[0] === "uses")
  } else {
    document = decoded.right
    checkResources(id, entry.node, asList(document.resources), declaredResources, log)
  }
  const config = kind === undefined ? undefined : checkConfig(id, entry.node, kind, log)
  return { ...draft, kind, document, config }
}

/** `needs` of a decoded stage document as a list. */
export const needsOf = (document: StageDocument): ReadonlyArray<string> => asList(document.needs)

/** `resources` of a decoded stage document as a list. */
export const resourcesOf = (document: StageDocument): ReadonlyArray<string> => asList(document.resources)
