/**
 * Parses YAML text into a located `SourceNode` tree. Syntax errors come from the `yaml` library
 * with its line and column; duplicate keys are detected here (the library's own check is turned
 * off) so the message can say where the first definition was — for stage ids that matters, since
 * a copy-pasted stage silently replacing another is an easy mistake to miss.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Document } from "yaml"
import type { IssueLog } from "./issue-log.js"
import type { SourceLocation } from "./source-map.js"
import { formatPath, type MapEntry, type PathSegment, type Scalar, type SourceNode } from "./source-tree.js"

interface Context {
  readonly file: string
  readonly lines: LineCounter
  readonly doc: Document
  readonly log: IssueLog
}

const locationAt = (ctx: Context, offset: number | undefined): SourceLocation => {
  if (offset === undefined) return { file: ctx.file, line: 1, column: 1 }
  const pos = ctx.lines.linePos(offset)
  return { file: ctx.file, line: pos.line, column: pos.col }
}

const toScalar = (value: unknown): Scalar => {
  if (value === null || value === undefined) return null
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value
  if (typeof value === "bigint") return Number(value)
  return String(value)
}

const duplicateMessage = (path: ReadonlyArray<PathSegment>, key: string, first: SourceLocation): string =>
  formatPath(path) === "stages"
    ? `duplicate stage id '${key}' (first defined at line ${first.line}); rename one of the two stages`
    : `duplicate key '${key}' (first defined at line ${first.line}); remove one of them`

const convert = (ctx: Context, node: unknown, path: ReadonlyArray<PathSegment>, fallback: SourceLocation): SourceNode => {
  if (isAlias(node)) return convert(ctx, node.resolve(ctx.doc), path, locationAt(ctx, node.range?.[0]))
  const loc = isScalar(node) || isMap(node) || isSeq(node) ? locationAt(ctx, (node as Node).range?.[0]) : fallback
  if (isMap(node)) {
    const entries: Array<MapEntry> = []
    for (const pair of node.items) {
      const keyNode = pair.key
      const keyLoc = isScalar(keyNode) ? locationAt(ctx, keyNode.range?.[0]) : loc
      const keyValue = isScalar(keyNode) ? keyNode.value : keyNode
      if (typeof keyValue !== "string" && typeof keyValue !== "number" && typeof keyValue !== "boolean") {
        ctx.log.atLocation(keyLoc, path, "map keys must be plain names, found a structured key")
        continue
      }
      const key = String(keyValue)
      const first = entries.find((e) => e.key === key)
      if (first !== undefined) {
        ctx.log.atLocation(keyLoc, [...path, key], duplicateMessage(path, key, first.keyLoc))
        continue
      }
      entries.push({ key, keyLoc, node: convert(ctx, pair.value, [...path, key], keyLoc) })
    }
    return { _tag: "Map", loc, entries }
  }
  if (isSeq(node)) {
    return { _tag: "List", loc, items: node.items.map((item, i) => convert(ctx, item, [...path, i], loc)) }
  }
  if (isScalar(node)) return { _tag: "Scalar", loc, value: toScalar(node.value) }
  return { _tag: "Scalar", loc, value: null }
}

/** The first line of a `yaml` error message, without the position and code excerpt it appends. */
const shortMessage = (message: string): string => {
  const cut = message.search(/ at line \d+, column \d+/)
  return (cut >= 0 ? message.slice(0, cut) : message.split("\n")[0] ?? message).trim()
}

/**
 * Parses `text` (the contents of `file`). Returns `undefined` after logging when the YAML is not
 * well-formed; an empty document is an empty map.
 */
export const parseYamlSource = (text: string, file: string, log: IssueLog): SourceNode | undefined => {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: false })
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const pos = error.linePos?.[0]
      const loc = { file, line: pos?.line ?? 0, column: pos?.col ?? 0 }
      log.atLocation(loc, [], `YAML syntax error: ${shortMessage(error.message)}`)
    }
    return undefined
  }
  const ctx: Context = { file, lines, doc, log }
  const start = { file, line: 1, column: 1 }
  if (doc.contents === null) return { _tag: "Map", loc: start, entries: [] }
  return convert(ctx, doc.contents, [], start)
}
