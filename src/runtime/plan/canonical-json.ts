/**
 * Canonical JSON: object keys sorted, no whitespace. Two equal values always serialise to the same
 * string, so hashes of configs and key material do not depend on key order in the YAML file.
 */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value))

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = sortKeys(v)
    }
    return out
  }
  return value
}

/** Flattens nested data into dotted paths (`a.b.0.c`) -> leaf value, for human-readable diffs. */
export const flattenPaths = (value: unknown, prefix = ""): Map<string, unknown> => {
  const out = new Map<string, unknown>()
  const walk = (v: unknown, path: string) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) walk(child, path === "" ? k : `${path}.${k}`)
    } else {
      out.set(path, v)
    }
  }
  walk(value, prefix)
  return out
}
