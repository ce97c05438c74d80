/**
 * Unknown-key checks with a did-you-mean. Schemas would reject unknown keys too, but could only
 * list the valid ones; a typo deserves the one name it was meant to be.
 */
import { suggestionText } from "../text/did-you-mean.js"
import type { IssueLog } from "./issue-log.js"
import type { PathSegment, SourceNode } from "./source-tree.js"

/**
 * Logs every key of the map `node` that is not in `known`, at the key's own position.
 * `what` names the key for the message ("top-level key", "config key"); `context` follows the
 * name, e.g. " for kind kmeans".
 */
export const checkKeys = (
  log: IssueLog,
  node: SourceNode | undefined,
  path: ReadonlyArray<PathSegment>,
  known: ReadonlyArray<string>,
  what: string,
  context = ""
): void => {
  if (node?._tag !== "Map") return
  for (const entry of node.entries) {
    if (known.includes(entry.key)) continue
    log.atLocation(entry.keyLoc, [...path, entry.key], `unknown ${what} '${entry.key}'${context}; ${suggestionText(entry.key, known, "keys")}`)
  }
}
