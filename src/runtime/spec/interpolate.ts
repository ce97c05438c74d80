/**
 * `${params.NAME}` references in string values under `description`, `layers` and `stages`. A
 * string that is exactly one reference takes the param's typed value (`count: ${params.n}` is a
 * number), so config schemas see real numbers; a reference inside longer text is stringified.
 * `$${` writes a literal `${`. Runs after all merging, so `--set params.x=...` reaches every use.
 */
import { suggestionText } from "../text/did-you-mean.js"
import type { IssueLog } from "./issue-log.js"
import type { SourceLocation } from "./source-map.js"
import { entryOf, type MapNode, type PathSegment, type Scalar, type ScalarNode, type SourceNode } from "./source-tree.js"

const TOKEN = /\$\$\{|\$\{([^}]*)\}/g
const PARAM_REF = /^\s*params\.([A-Za-z0-9_-]+)\s*$/
const INTERPOLATED_ROOTS = ["description", "layers", "stages"] as const

interface Param {
  readonly value: Scalar
  readonly loc: SourceLocation
}

const where = (loc: SourceLocation): string => (loc.line > 0 ? `${loc.file}:${loc.line}` : loc.file)

const paramsOf = (root: MapNode): ReadonlyMap<string, Param> => {
  const params = new Map<string, Param>()
  const node = entryOf(root, "params")?.node
  if (node?._tag !== "Map") return params
  for (const entry of node.entries) {
    if (entry.node._tag === "Scalar") params.set(entry.key, { value: entry.node.value, loc: entry.node.loc })
  }
  return params
}

const interpolateString = (
  node: ScalarNode & { readonly value: string },
  path: ReadonlyArray<PathSegment>,
  params: ReadonlyMap<string, Param>,
  log: IssueLog
): SourceNode => {
  const text = node.value
  let ok = true
  let whole: { readonly name: string; readonly param: Param } | undefined
  const replaced = text.replace(TOKEN, (match, expr: string | undefined, offset: number) => {
    if (match === "$${") return "${"
    const ref = PARAM_REF.exec(expr ?? "")
    const name = ref?.[1]
    if (name === undefined) {
      ok = false
      log.at(node, path, `unsupported reference '${match}': only \${params.NAME} can be used; write $\${ for a literal \${`)
      return match
    }
    const param = params.get(name)
    if (param === undefined) {
      ok = false
      log.at(node, path, `undefined param '${name}' in '${match}'; ${suggestionText(name, [...params.keys()], "params")}`)
      return match
    }
    if (offset === 0 && match.length === text.length) whole = { name, param }
    return param.value === null ? "" : String(param.value)
  })
  if (!ok) return node
  if (whole !== undefined) {
    const fromSet = whole.param.loc.line === 0
    return {
      _tag: "Scalar",
      value: whole.param.value,
      loc: fromSet ? whole.param.loc : node.loc,
      via: `value of \${params.${whole.name}} = ${JSON.stringify(whole.param.value)}, set at ${where(whole.param.loc)}`
    }
  }
  return replaced === text ? node : { ...node, value: replaced }
}

const walk = (node: SourceNode, path: ReadonlyArray<PathSegment>, params: ReadonlyMap<string, Param>, log: IssueLog): SourceNode => {
  switch (node._tag) {
    case "Scalar":
      return typeof node.value === "string" && node.value.includes("${")
        ? interpolateString({ ...node, value: node.value }, path, params, log)
        : node
    case "List":
      return { ...node, items: node.items.map((item, i) => walk(item, [...path, i], params, log)) }
    case "Map":
      return { ...node, entries: node.entries.map((e) => ({ ...e, node: walk(e.node, [...path, e.key], params, log) })) }
  }
}

/** The document with every `${params.x}` under description, layers and stages resolved. */
export const interpolateParams = (root: MapNode, log: IssueLog): MapNode => {
  const params = paramsOf(root)
  return {
    ...root,
    entries: root.entries.map((e) =>
      (INTERPOLATED_ROOTS as ReadonlyArray<string>).includes(e.key) ? { ...e, node: walk(e.node, [e.key], params, log) } : e
    )
  }
}
