/**
 * Collects every problem found while loading a pipeline, so the user sees all of them in one go
 * instead of fixing one per run. Issues are attached to source nodes, so they carry the file and
 * line the offending value came from (a pipeline file, a profile, or a `--set` argument).
 */
import type { SpecIssue } from "../errors.js"
import type { SourceLocation } from "./source-map.js"
import { formatPath, type PathSegment, type SourceNode } from "./source-tree.js"

export class IssueLog {
  readonly #issues: Array<SpecIssue> = []

  /**
   * Records an issue at an explicit location. Only the first issue per location and path is
   * kept: a value that is already wrong (say, an undefined `${params.x}`) would otherwise also
   * fail every later check, and the follow-ups only bury the cause.
   */
  atLocation(loc: SourceLocation, path: ReadonlyArray<PathSegment>, message: string): void {
    const dotted = formatPath(path)
    const seen = this.#issues.some(
      (i) => i.file === loc.file && i.line === loc.line && i.column === loc.column && i.path === dotted
    )
    if (!seen) this.#issues.push({ file: loc.file, line: loc.line, column: loc.column, path: dotted, message })
  }

  /** Records an issue about a node; mentions where a substituted value came from. */
  at(node: SourceNode, path: ReadonlyArray<PathSegment>, message: string): void {
    this.atLocation(node.loc, path, node.via === undefined ? message : `${message} (${node.via})`)
  }

  get size(): number {
    return this.#issues.length
  }

  /** All issues, ordered by file (in order of first appearance), then line and column. */
  sorted(): ReadonlyArray<SpecIssue> {
    const fileRank = new Map<string, number>()
    for (const issue of this.#issues) if (!fileRank.has(issue.file)) fileRank.set(issue.file, fileRank.size)
    return [...this.#issues].sort(
      (a, b) =>
        (fileRank.get(a.file) ?? 0) - (fileRank.get(b.file) ?? 0) || a.line - b.line || a.column - b.column
    )
  }
}

/** A value for messages: strings quoted, structures as short JSON. */
export const formatValue = (value: unknown): string => {
  if (value === undefined) return "nothing"
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** What kind of YAML value a node is, for "expected a map, found a list" messages. */
export const nodeKind = (node: SourceNode): string => {
  if (node._tag === "Map") return "a map"
  if (node._tag === "List") return "a list"
  return node.value === null ? "nothing (null)" : `${typeof node.value} ${formatValue(node.value)}`
}
