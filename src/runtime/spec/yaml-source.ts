/**
 * Parses YAML text into a located `SourceNode` tree. Syntax errors come from the `yaml` library
 * with its line and column; duplicate keys are detected here (the library's own check is turned
 * off) so the message can say where the first definition was — for stage ids that matters, since
 * a copy-pasted stage silently replacing another is an easy mistake to miss.
 *
 * Bounded: before the library builds its document (about 1 KiB of heap per value), a pass of its
 * lexer counts the values and the flow nesting; the conversion counts again, with every use of an
 * alias counting its whole anchor (the library's `maxAliasCount` only guards its `toJS`, which is
 * not used here), and stops at `MAX_VALUES` values or `MAX_DEPTH` levels. A `__proto__` key is
 * refused: as a key of plain data it would set the object's prototype instead of a value.
 */
import { CST, isAlias, isMap, isScalar, isSeq, Lexer, LineCounter, type Node, parseDocument, type Document } from "yaml"
import type { IssueLog } from "./issue-log.js"
import { MAX_DEPTH, MAX_VALUES } from "./limits.js"
import type { SourceLocation } from "./source-map.js"
import { formatPath, type MapEntry, type PathSegment, type Scalar, type SourceNode } from "./source-tree.js"

interface Context {
  readonly file: string
  readonly lines: LineCounter
  readonly doc: Document
  readonly log: IssueLog
  /** Every node here is located at this (a `--set` argument) rather than at its offset. */
  readonly at?: SourceLocation
  /** Values converted so far, aliases counted per use. */
  count: number
  /** Set once a limit was hit: the rest of the document is not converted. */
  stopped: boolean
  /**
   * Each alias's anchor, found once: the library's `resolve` searches the document, and a bomb
   * uses one alias node up to the value limit's number of times.
   */
  readonly anchors: Map<unknown, unknown>
}

const locationAt = (ctx: Context, offset: number | undefined): SourceLocation => {
  if (ctx.at !== undefined) return ctx.at
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

const TOO_MANY = `the document has more than ${MAX_VALUES} values (the limit; each use of an alias counts all the values of its anchor)`

const convert = (
  ctx: Context,
  node: unknown,
  path: ReadonlyArray<PathSegment>,
  fallback: SourceLocation,
  depth: number
): SourceNode => {
  const empty: SourceNode = { _tag: "Scalar", loc: fallback, value: null }
  if (ctx.stopped) return empty
  if (isAlias(node)) {
    if (!ctx.anchors.has(node)) ctx.anchors.set(node, node.resolve(ctx.doc))
    const target = ctx.anchors.get(node) as ReturnType<typeof node.resolve>
    const at = locationAt(ctx, node.range?.[0])
    if (target === undefined) {
      ctx.log.atLocation(at, path, `unresolved alias '*${node.source}': there is no anchor &${node.source} before it`)
      return empty
    }
    return convert(ctx, target, path, at, depth)
  }
  const loc = isScalar(node) || isMap(node) || isSeq(node) ? locationAt(ctx, (node as Node).range?.[0]) : fallback
  ctx.count += 1
  if (ctx.count > MAX_VALUES) {
    ctx.stopped = true
    ctx.log.atLocation(loc, path, TOO_MANY)
    return empty
  }
  if ((isMap(node) || isSeq(node)) && depth >= MAX_DEPTH) {
    ctx.stopped = true
    ctx.log.atLocation(loc, path, `maps and lists are nested more than ${MAX_DEPTH} levels deep (the limit)`)
    return empty
  }
  if (isMap(node)) {
    const entries: Array<MapEntry> = []
    const seen = new Map<string, MapEntry>()
    for (const pair of node.items) {
      const keyNode = pair.key
      const keyLoc = isScalar(keyNode) ? locationAt(ctx, keyNode.range?.[0]) : loc
      const keyValue = isScalar(keyNode) ? keyNode.value : keyNode
      if (typeof keyValue !== "string" && typeof keyValue !== "number" && typeof keyValue !== "boolean") {
        ctx.log.atLocation(keyLoc, path, "map keys must be plain names, found a structured key")
        continue
      }
      const key = String(keyValue)
      if (key === "__proto__") {
        ctx.log.atLocation(keyLoc, [...path, key], "the key '__proto__' is not allowed (it names the prototype of every JavaScript object); rename it")
        continue
      }
      const first = seen.get(key)
      if (first !== undefined) {
        ctx.log.atLocation(keyLoc, [...path, key], duplicateMessage(path, key, first.keyLoc))
        continue
      }
      const entry = { key, keyLoc, node: convert(ctx, pair.value, [...path, key], keyLoc, depth + 1) }
      seen.set(key, entry)
      entries.push(entry)
    }
    return { _tag: "Map", loc, entries }
  }
  if (isSeq(node)) {
    return { _tag: "List", loc, items: node.items.map((item, i) => convert(ctx, item, [...path, i], loc, depth + 1)) }
  }
  if (isScalar(node)) return { _tag: "Scalar", loc, value: toScalar(node.value) }
  return { _tag: "Scalar", loc, value: null }
}

/** Lexer tokens that start a value (the marker before a plain or block scalar, quoted scalars, collections, aliases). */
const VALUE_TOKENS: ReadonlySet<string> = new Set(["scalar", "single-quoted-scalar", "double-quoted-scalar", "alias", "flow-map-start", "flow-seq-start"])

/**
 * Counts values and flow nesting with the library's lexer, which streams tokens and keeps no
 * tree: a document over the limits is refused before the library's document is built (and
 * before its recursive composer meets a 100,000-level `[[[[...`). Logs and returns false when over.
 */
const withinLimits = (text: string, file: string, log: IssueLog, at: SourceLocation | undefined): boolean => {
  const lines = new LineCounter()
  lines.addNewLine(0) // the first line starts at 0, as the library's parser records it
  let offset = 0
  let values = 0
  let flowDepth = 0
  // An upper bound of a line's block nesting: its indentation plus the `- `, `? ` and `: ` on it.
  let lineDepth = 0
  let lineStart = true
  const where = (): SourceLocation => {
    if (at !== undefined) return at
    // LineCounter needs the newline offsets: they are added as the tokens pass.
    const pos = lines.linePos(offset)
    return { file, line: pos.line, column: pos.col }
  }
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token)
    if (type !== null && VALUE_TOKENS.has(type)) values += 1
    if (type === "flow-map-start" || type === "flow-seq-start") flowDepth += 1
    if (type === "flow-map-end" || type === "flow-seq-end") flowDepth = Math.max(0, flowDepth - 1)
    if (values > MAX_VALUES) {
      log.atLocation(where(), [], `the document has more than ${MAX_VALUES} values (the limit)`)
      return false
    }
    if (type === "newline") {
      lineDepth = 0
      lineStart = true
    } else {
      if (lineStart && type === "space") lineDepth += token.length
      if (type === "seq-item-ind" || type === "explicit-key-ind" || type === "map-value-ind") lineDepth += 1
      if (type !== "space") lineStart = false
    }
    // The bound is loose (one space of indentation counts a level): refuse only far past the limit,
    // before the library's recursive parser could overflow the stack; conversion checks exactly.
    if (flowDepth > MAX_DEPTH || lineDepth > 4 * MAX_DEPTH) {
      log.atLocation(where(), [], `maps and lists are nested more than ${MAX_DEPTH} levels deep (the limit)`)
      return false
    }
    // The lexer's control markers (document start, scalar start, flow error end) take no source.
    const zeroWidth = token.length === 1 && token < " " && token !== "\n" && token !== "\t" && token !== "\r"
    if (!zeroWidth) {
      for (let i = token.indexOf("\n"); i >= 0; i = token.indexOf("\n", i + 1)) lines.addNewLine(offset + i + 1)
      offset += token.length
    }
  }
  return true
}

/** The first line of a `yaml` error message, without the position and code excerpt it appends. */
const shortMessage = (message: string): string => {
  // The composer recurses per level: block nesting thousands deep overflows the stack.
  if (message.includes("Maximum call stack size exceeded")) return `maps and lists are nested too deeply (the limit is ${MAX_DEPTH} levels)`
  const cut = message.search(/ at line \d+, column \d+/)
  return (cut >= 0 ? message.slice(0, cut) : message.split("\n")[0] ?? message).trim()
}

const parse = (text: string, file: string, log: IssueLog, at: SourceLocation | undefined): SourceNode | undefined => {
  if (!withinLimits(text, file, log, at)) return undefined
  const lines = new LineCounter()
  let doc: Document
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: false })
  } catch (cause) {
    // The library's parser recurses per level; withinLimits should keep it far from the stack's end.
    const message = cause instanceof RangeError ? `maps and lists are nested too deeply (the limit is ${MAX_DEPTH} levels)` : String(cause)
    log.atLocation(at ?? { file, line: 0, column: 0 }, [], `YAML syntax error: ${message}`)
    return undefined
  }
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const pos = error.linePos?.[0]
      const loc = at ?? { file, line: pos?.line ?? 0, column: pos?.col ?? 0 }
      log.atLocation(loc, [], `YAML syntax error: ${shortMessage(error.message)}`)
    }
    return undefined
  }
  const start = at ?? { file, line: 1, column: 1 }
  if (doc.contents === null) return { _tag: "Map", loc: start, entries: [] }
  const ctx: Context = { file, lines, doc, log, count: 0, stopped: false, anchors: new Map(), ...(at === undefined ? {} : { at }) }
  const node = convert(ctx, doc.contents, [], start, 0)
  return ctx.stopped ? undefined : node
}

/**
 * Parses `text` (the contents of `file`). Returns `undefined` after logging when the YAML is not
 * well-formed or over the limits; an empty document is an empty map.
 */
export const parseYamlSource = (text: string, file: string, log: IssueLog): SourceNode | undefined => parse(text, file, log, undefined)

/**
 * Parses a value given on the command line (a `--set` value), every node located at `at`, under
 * the same limits as a file; an empty text is null.
 */
export const parseYamlValue = (text: string, at: SourceLocation, log: IssueLog): SourceNode | undefined => {
  const node = parse(text, at.file, log, at)
  return node?._tag === "Map" && node.entries.length === 0 && text.trim() === "" ? { _tag: "Scalar", loc: at, value: null } : node
}
