/**
 * Turns a Schema `ParseError` into issues located in the source tree. We walk the ParseIssue tree
 * ourselves rather than use the formatters' messages, because those name a field's *description*
 * annotation (set by `field()`) as the expected type; we want "expected integer (positive), found
 * -3". Union failures at one path are merged into one "expected A | B" message, and dropped when a
 * member failed deeper down (the value had that member's shape, so the deeper issue is the point).
 */
import { Option, type ParseResult, SchemaAST as AST } from "effect"
import { describeType } from "../schema-fields.js"
import { formatValue, type IssueLog } from "./issue-log.js"
import { locate, type PathSegment, type SourceNode } from "./source-tree.js"

export interface FlatIssue {
  readonly path: ReadonlyArray<PathSegment>
  readonly kind: "type" | "missing" | "unexpected" | "other"
  /** Expected type, or for "other" the whole message. */
  readonly expected: string
  readonly actual?: unknown
}

const toSegment = (key: PropertyKey): PathSegment => (typeof key === "number" ? key : String(key))

const asList = <A>(value: ParseResult.SingleOrNonEmpty<A>): ReadonlyArray<A> =>
  Array.isArray(value) ? value : [value as A]

const samePath = (a: ReadonlyArray<PathSegment>, b: ReadonlyArray<PathSegment>): boolean =>
  a.length === b.length && a.every((s, i) => s === b[i])

const flattenUnion = (issues: ReadonlyArray<FlatIssue>, path: ReadonlyArray<PathSegment>): Array<FlatIssue> => {
  const here = issues.filter((i) => i.kind === "type" && samePath(i.path, path))
  const rest = issues.filter((i) => !here.includes(i))
  if (rest.length > 0 || here.length === 0) return rest.length > 0 ? rest : [...here]
  const expected = [...new Set(here.map((i) => i.expected).filter((e) => e !== "nothing"))].join(" | ")
  return [{ path, kind: "type", expected, actual: here[0]?.actual }]
}

/** Flattens a ParseIssue tree into located, typed leaf issues. */
export const flattenParseIssue = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PathSegment> = []): Array<FlatIssue> => {
  switch (issue._tag) {
    case "Type":
      return issue.message !== undefined
        ? [{ path, kind: "other", expected: issue.message, actual: issue.actual }]
        : [{ path, kind: "type", expected: describeType(issue.ast), actual: issue.actual }]
    case "Missing":
      return [{ path, kind: "missing", expected: describeType(issue.ast.type) }]
    case "Unexpected":
      return [{ path, kind: "unexpected", expected: "", actual: issue.actual }]
    case "Forbidden":
      return [{ path, kind: "other", expected: issue.message ?? "cannot be checked here" }]
    case "Pointer": {
      const keys = asList(issue.path)
      return flattenParseIssue(issue.issue, [...path, ...keys.map(toSegment)])
    }
    case "Refinement": {
      if (issue.kind !== "Predicate") return flattenParseIssue(issue.issue, path)
      // A filter with a title is reported as its type ("expected number (an integer from 1 to
      // 10), found 0"); an untitled one that says why (returns a message, or { path, message }) in
      // its own words, at its path, rather than as "(filtered)".
      const inner = flattenParseIssue(issue.issue, path)
      return Option.isNone(AST.getTitleAnnotation(issue.ast)) && inner.some((i) => i.kind === "other")
        ? inner
        : [{ path, kind: "type", expected: describeType(issue.ast), actual: issue.actual }]
    }
    case "Transformation":
      return flattenParseIssue(issue.issue, path)
    case "Composite": {
      const children = asList(issue.issues)
      const flat = children.flatMap((child) => flattenParseIssue(child, path))
      return AST.isUnion(issue.ast) ? flattenUnion(flat, path) : flat
    }
  }
}

/** Selects "unknown field" issues, for callers that check keys themselves. */
export const isUnexpected = (issue: FlatIssue): boolean => issue.kind === "unexpected"

/** The message for one flat issue: what was expected and what was found. */
export const describeFlatIssue = (issue: FlatIssue): string => {
  switch (issue.kind) {
    case "type":
      return `expected ${issue.expected}, found ${formatValue(issue.actual)}`
    case "missing":
      return `required field '${String(issue.path[issue.path.length - 1])}' is missing (expected ${issue.expected})`
    case "unexpected":
      return `unknown field '${String(issue.path[issue.path.length - 1])}'`
    case "other":
      return issue.expected
  }
}

/**
 * Records the issues of a failed decode of `node` (found at `basePath` in the document), except
 * those `skip` selects: callers that report some problems themselves with a better message (unknown
 * keys with a did-you-mean, a missing `uses`) do not want them twice.
 */
export const logParseError = (
  log: IssueLog,
  error: ParseResult.ParseError,
  node: SourceNode,
  basePath: ReadonlyArray<PathSegment>,
  skip: (issue: FlatIssue) => boolean = () => false
): void => {
  for (const flat of flattenParseIssue(error.issue)) {
    if (skip(flat)) continue
    log.at(locate(node, flat.path), [...basePath, ...flat.path], describeFlatIssue(flat))
  }
}
