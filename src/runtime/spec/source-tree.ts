/**
 * A YAML document as a tree whose every node remembers where it came from. Pipeline files,
 * profiles, `config/default.yaml` and `--set` overrides are merged as these trees, so after merging
 * each value still points at the file and line (or `--set` argument) that gave it, and an error
 * about it can say exactly where to fix it.
 */
import type { SourceLocation } from "./source-map.js"

export type Scalar = string | number | boolean | null

interface NodeBase {
  readonly loc: SourceLocation
  /** Set when the value was substituted from elsewhere (`${params.x}`): a note for messages. */
  readonly via?: string
}

export interface ScalarNode extends NodeBase {
  readonly _tag: "Scalar"
  readonly value: Scalar
}

export interface MapEntry {
  readonly key: string
  readonly keyLoc: SourceLocation
  readonly node: SourceNode
}

export interface MapNode extends NodeBase {
  readonly _tag: "Map"
  readonly entries: ReadonlyArray<MapEntry>
}

export interface ListNode extends NodeBase {
  readonly _tag: "List"
  readonly items: ReadonlyArray<SourceNode>
}

export type SourceNode = ScalarNode | MapNode | ListNode

export type PathSegment = string | number

/** Dotted path for messages: `stages.clusters.with.k`, list items as `needs[1]`. */
export const formatPath = (path: ReadonlyArray<PathSegment>): string =>
  path.reduce<string>(
    (acc, seg) => (typeof seg === "number" ? `${acc}[${seg}]` : acc === "" ? seg : `${acc}.${seg}`),
    ""
  )

/** Plain JavaScript data of a node, for Schema decoding. */
export const toPlain = (node: SourceNode): unknown => {
  switch (node._tag) {
    case "Scalar":
      return node.value
    case "List":
      return node.items.map(toPlain)
    case "Map": {
      const out: Record<string, unknown> = {}
      // defineProperty, not assignment: a key can never reach a prototype setter (yaml-source.ts refuses `__proto__` too).
      for (const entry of node.entries) Object.defineProperty(out, entry.key, { value: toPlain(entry.node), enumerable: true, writable: true, configurable: true })
      return out
    }
  }
}

export const entryOf = (node: SourceNode | undefined, key: string): MapEntry | undefined =>
  node?._tag === "Map" ? node.entries.find((e) => e.key === key) : undefined

export const childOf = (node: SourceNode | undefined, key: PathSegment): SourceNode | undefined => {
  if (node === undefined) return undefined
  if (typeof key === "number") return node._tag === "List" ? node.items[key] : undefined
  return entryOf(node, key)?.node
}

/**
 * Where to report a problem at `path`: the node itself when it exists, otherwise the deepest
 * existing ancestor (a missing key is reported at the map that should contain it).
 */
export const locate = (root: SourceNode, path: ReadonlyArray<PathSegment>): SourceNode => {
  let current = root
  for (const segment of path) {
    const next = childOf(current, segment)
    if (next === undefined) return current
    current = next
  }
  return current
}

/** Keys of a map node in order (empty for other nodes). */
export const keysOf = (node: SourceNode | undefined): ReadonlyArray<string> =>
  node?._tag === "Map" ? node.entries.map((e) => e.key) : []

/**
 * Deep merge: maps merge key by key, anything else in `over` replaces `base`. Key order follows
 * `order`: "over" lists `over`'s keys first (the pipeline file decides stage order over profiles),
 * "base" keeps `base`'s order and appends new keys (a `--set` never reorders stages).
 */
export const mergeNodes = (base: SourceNode, over: SourceNode, order: "base" | "over"): SourceNode => {
  if (base._tag !== "Map" || over._tag !== "Map") return over
  const merged = new Map<string, MapEntry>()
  const first = order === "over" ? over.entries : base.entries
  const second = order === "over" ? base.entries : over.entries
  for (const entry of [...first, ...second]) if (!merged.has(entry.key)) merged.set(entry.key, entry)
  const inBase = new Map(base.entries.map((e) => [e.key, e]))
  for (const entry of over.entries) {
    const previous = inBase.get(entry.key)
    const node = previous === undefined ? entry.node : mergeNodes(previous.node, entry.node, order)
    merged.set(entry.key, { key: entry.key, keyLoc: entry.keyLoc, node })
  }
  return { _tag: "Map", loc: over.loc, entries: [...merged.values()] }
}

/** Replaces the value at a string key in a map node (adding it at the end if absent). */
export const withEntry = (node: MapNode, entry: MapEntry): MapNode => {
  const exists = node.entries.some((e) => e.key === entry.key)
  const entries = exists ? node.entries.map((e) => (e.key === entry.key ? entry : e)) : [...node.entries, entry]
  return { ...node, entries }
}
