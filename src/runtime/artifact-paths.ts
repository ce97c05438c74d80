/**
 * Descriptor paths relative to the store. Stages return descriptors with absolute paths (what
 * their readers open); the ledger keeps every path inside the store's root as a store-relative
 * marker, `{ "$store": "stages/<id>/<key>/<file>" }`, and resolves it against the root the store
 * has now. So an output directory that is moved or copied elsewhere still works as a whole.
 *
 * The marker is an object, not a string convention, so no string a stage returns (a name, a
 * label that happens to start with `stages/`) can be mistaken for a path.
 */
import { isAbsolute, join, relative, sep } from "node:path"

const MARKER = "$store"

const isMarker = (value: object): value is { readonly [MARKER]: string } =>
  Object.keys(value).length === 1 && typeof (value as Record<string, unknown>)[MARKER] === "string"

/** A copy of `descriptor` with every absolute path inside `root` replaced by its marker. */
export const descriptorToStore = (root: string, descriptor: unknown): unknown => {
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") {
      if (!isAbsolute(value)) return value
      const rel = relative(root, value)
      return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? value : { [MARKER]: rel.split(sep).join("/") }
    }
    if (Array.isArray(value)) return value.map(walk)
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {}
      for (const [key, field] of Object.entries(value)) out[key] = walk(field)
      return out
    }
    return value
  }
  return walk(descriptor)
}

/** The inverse: every marker resolved against the store's current `root`. */
export const descriptorFromStore = (root: string, descriptor: unknown): unknown => {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk)
    if (value !== null && typeof value === "object") {
      if (isMarker(value)) return join(root, ...value[MARKER].split("/"))
      const out: Record<string, unknown> = {}
      for (const [key, field] of Object.entries(value)) out[key] = walk(field)
      return out
    }
    return value
  }
  return walk(descriptor)
}
