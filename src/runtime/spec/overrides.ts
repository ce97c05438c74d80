/**
 * `--set path=value` overrides, applied on top of the merged document. Only paths that make
 * sense can be set (an existing param, a stage's field, a layer setting, a resource), so a typo
 * in a path fails with a did-you-mean instead of silently setting nothing. Values are YAML
 * scalars or flow collections (`k=64` is a number, `[a, b]` a list), located at the argument itself.
 */
import { suggestionText } from "../text/did-you-mean.js"
import { RETRY_KEYS, STAGE_KEYS } from "./document-schema.js"
import { IssueLog, nodeKind } from "./issue-log.js"
import type { SourceLocation } from "./source-map.js"
import { parseYamlValue } from "./yaml-source.js"
import { entryOf, keysOf, type MapNode, type SourceNode, withEntry } from "./source-tree.js"
import { redactPasswords } from "../text/redact.js"

export interface Override {
  readonly arg: string
  readonly path: ReadonlyArray<string>
  readonly value: SourceNode
  readonly loc: SourceLocation
}

const ROOTS = ["params", "description", "layers", "resources", "stages"] as const
/** Stage fields whose value is a whole (a string or a list), never set piecewise. */
const LEAF_STAGE_FIELDS: ReadonlyArray<string> = ["uses", "description", "needs", "timeout", "resources"]

export const setLocation = (arg: string): SourceLocation => ({ file: `--set ${redactPasswords(arg)}`, line: 0, column: 0 })

/** Parses one `--set` argument; malformed ones are logged and give `undefined`. */
export const parseOverride = (arg: string, log: IssueLog): Override | undefined => {
  const loc = setLocation(arg)
  const eq = arg.indexOf("=")
  if (eq < 0) {
    log.atLocation(loc, [], "malformed --set: expected PATH=VALUE, e.g. stages.clusters.with.k=64")
    return undefined
  }
  const pathText = arg.slice(0, eq).trim()
  const path = pathText.split(".")
  if (pathText === "" || path.some((s) => s === "")) {
    log.atLocation(loc, [], `malformed --set: the path '${pathText}' is empty or has an empty segment; expected e.g. stages.clusters.with.k=64`)
    return undefined
  }
  const valueText = arg.slice(eq + 1)
  if (valueText.trim() === "") return { arg, path, loc, value: { _tag: "Scalar", loc, value: "" } }
  // Parsed like a file (the same limits, aliases counted, no __proto__ keys), located at the argument.
  const problems = new IssueLog()
  const value = parseYamlValue(valueText, loc, problems)
  if (value === undefined || problems.size > 0) {
    for (const issue of problems.sorted()) {
      const shown = valueText.length > 60 ? `${valueText.slice(0, 57)}...` : valueText
      log.atLocation(loc, path, `malformed --set value '${shown}': ${issue.message}; quote strings that contain YAML syntax`)
    }
    return undefined
  }
  return { arg, path, loc, value }
}

/** Checks that an override's path names something that can be set; logs and returns false if not. */
const checkPath = (o: Override, root: MapNode, layerNames: ReadonlyArray<string> | undefined, log: IssueLog): boolean => {
  const fail = (message: string): false => {
    log.atLocation(o.loc, o.path, message)
    return false
  }
  const [head, second, third] = o.path
  const depth = o.path.length
  switch (head) {
    case "description":
      return depth === 1 || fail("description is a single string: use --set description=TEXT")
    case "params": {
      if (second === undefined || depth !== 2) return fail("params are single values: use --set params.NAME=VALUE")
      const known = keysOf(entryOf(root, "params")?.node)
      return known.includes(second) || fail(`unknown param '${second}': --set can only change params the pipeline declares; ${suggestionText(second, known, "params")}`)
    }
    case "resources":
      return depth === 2 || fail("resources are slot counts: use --set resources.NAME=SLOTS")
    case "layers": {
      if (second === undefined || depth < 3) return fail("use --set layers.LAYER.SETTING=VALUE, e.g. layers.workers.size=4")
      if (layerNames === undefined || layerNames.includes(second)) return true
      return fail(`unknown layer '${second}'; ${suggestionText(second, layerNames, "layers")}`)
    }
    case "stages": {
      if (second === undefined || third === undefined) return fail("use --set stages.STAGE.FIELD=VALUE, e.g. stages.clusters.with.k=64")
      const ids = keysOf(entryOf(root, "stages")?.node)
      if (!ids.includes(second)) return fail(`unknown stage '${second}'; ${suggestionText(second, ids, "stages")}`)
      if (!(STAGE_KEYS as ReadonlyArray<string>).includes(third)) {
        return fail(`unknown stage field '${third}'; ${suggestionText(third, STAGE_KEYS, "fields")}`)
      }
      if (LEAF_STAGE_FIELDS.includes(third) && depth > 3) return fail(`stage field '${third}' is set as a whole: use --set stages.${second}.${third}=VALUE`)
      const fourth = o.path[3]
      if (third === "retry" && fourth !== undefined && !(RETRY_KEYS as ReadonlyArray<string>).includes(fourth)) {
        return fail(`unknown retry setting '${fourth}'; ${suggestionText(fourth, RETRY_KEYS, "settings")}`)
      }
      return true
    }
    default:
      return fail(`--set cannot change '${head ?? ""}'; ${suggestionText(head ?? "", ROOTS, "roots")}`)
  }
}

/** Sets `value` at `path` under `node`, creating maps on the way; logs when a scalar is in the way. */
const setAt = (node: MapNode, path: ReadonlyArray<string>, o: Override, done: ReadonlyArray<string>, log: IssueLog): MapNode => {
  const [key, ...rest] = path
  if (key === undefined) return node
  if (rest.length === 0) return withEntry(node, { key, keyLoc: o.loc, node: o.value })
  const existing = entryOf(node, key)
  const child: SourceNode = existing?.node ?? { _tag: "Map", loc: o.loc, entries: [] }
  if (child._tag !== "Map") {
    log.atLocation(o.loc, [...done, key], `cannot set ${o.path.join(".")}: ${[...done, key].join(".")} is ${nodeKind(child)}, not a map`)
    return node
  }
  const updated = setAt(child, rest, o, [...done, key], log)
  return withEntry(node, { key, keyLoc: existing?.keyLoc ?? o.loc, node: updated })
}

/** Applies the valid overrides in order (a later one wins); invalid ones are logged and skipped. */
export const applyOverrides = (
  root: MapNode,
  overrides: ReadonlyArray<Override>,
  layerNames: ReadonlyArray<string> | undefined,
  log: IssueLog
): MapNode => {
  let current = root
  for (const o of overrides) {
    if (checkPath(o, root, layerNames, log)) current = setAt(current, o.path, o, [], log)
  }
  return current
}
