/**
 * Layer (service) settings under `layers:`. When the caller knows the layers and their settings
 * schemas, unknown layer names and settings are reported with a did-you-mean and every known
 * layer is decoded with its defaults (absent ones from `{}`), so consumers get complete settings.
 * Without schemas, settings are accepted as plain maps.
 */
import { Either, Schema } from "effect"
import { structFieldNames } from "../schema-fields.js"
import { suggestionText } from "../text/did-you-mean.js"
import { checkKeys } from "./check-keys.js"
import { LayerSettings } from "./document-schema.js"
import { type IssueLog, nodeKind } from "./issue-log.js"
import { isUnexpected, logParseError } from "./parse-issues.js"
import { type SourceNode, toPlain } from "./source-tree.js"

export type LayerSchemas = Readonly<Record<string, Schema.Schema<unknown, unknown>>>
export type LayerValues = Readonly<Record<string, Readonly<Record<string, unknown>>>>

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  value !== null && typeof value === "object" && !Array.isArray(value)

const decodeLayer = (name: string, schema: Schema.Schema<unknown, unknown>, node: SourceNode, log: IssueLog) => {
  const path = ["layers", name]
  const names = structFieldNames(schema)
  if (names !== undefined) checkKeys(log, node, path, names, "setting", ` for layer ${name}`)
  const value = node._tag === "Scalar" && node.value === null ? {} : toPlain(node)
  const decoded = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })(value)
  if (Either.isLeft(decoded)) {
    logParseError(log, decoded.left, node, path, names === undefined ? () => false : isUnexpected)
    return undefined
  }
  if (!isRecord(decoded.right)) {
    log.at(node, path, `the settings schema of layer ${name} must decode to a map`)
    return undefined
  }
  return decoded.right
}

/** Checks and decodes `layers`; `root` is where to report layers missing from every file. */
export const checkLayers = (node: SourceNode | undefined, root: SourceNode, schemas: LayerSchemas | undefined, log: IssueLog): LayerValues => {
  const result: Record<string, Readonly<Record<string, unknown>>> = {}
  const given = new Set((node?._tag === "Map" ? node.entries : []).map((e) => e.key))
  if (node !== undefined && node._tag !== "Map") {
    log.at(node, ["layers"], `expected a map of layer name -> settings, found ${nodeKind(node)}`)
    return result
  }
  const entries = node?.entries ?? []
  const known = schemas === undefined ? undefined : Object.keys(schemas)
  for (const entry of entries) {
    // Own keys only: `schemas.constructor` is Object, not a layer's settings Schema.
    const schema = schemas !== undefined && Object.hasOwn(schemas, entry.key) ? schemas[entry.key] : undefined
    if (known !== undefined && schema === undefined) {
      log.atLocation(entry.keyLoc, ["layers", entry.key], `unknown layer '${entry.key}'; ${suggestionText(entry.key, known, "layers")}`)
      continue
    }
    if (schema !== undefined) {
      const decoded = decodeLayer(entry.key, schema, entry.node, log)
      if (decoded !== undefined) result[entry.key] = decoded
      continue
    }
    const plain = Schema.decodeUnknownEither(LayerSettings)(entry.node._tag === "Scalar" && entry.node.value === null ? {} : toPlain(entry.node))
    if (Either.isLeft(plain)) log.at(entry.node, ["layers", entry.key], `expected a map of settings, found ${nodeKind(entry.node)}`)
    else result[entry.key] = plain.right
  }
  for (const [name, schema] of Object.entries(schemas ?? {})) {
    if (given.has(name)) continue
    const decoded = decodeLayer(name, schema, { _tag: "Map", loc: node?.loc ?? root.loc, entries: [] }, log)
    if (decoded !== undefined) result[name] = decoded
  }
  return result
}
