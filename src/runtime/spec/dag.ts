/**
 * Orders stages so that every stage comes after the stages it needs. Stable: among stages that are
 * ready at the same time, file order wins, so the order (and everything printed from it) does not
 * change between runs. A cycle is returned as its members in dependency order, starting from the
 * member that comes first in the file, so it can be reported once and where a reader starts.
 */

export interface TopoResult {
  /** Stages in dependency order; the members of a cycle (and what depends on them) are missing. */
  readonly order: ReadonlyArray<string>
  /** `[a, b, c]` when a needs b, b needs c and c needs a. */
  readonly cycle: ReadonlyArray<string> | undefined
}

/** `ids` in file order; `needs` maps each id to the ids it waits for (all of which are in `ids`). */
export const topoOrder = (ids: ReadonlyArray<string>, needs: ReadonlyMap<string, ReadonlyArray<string>>): TopoResult => {
  const placed = new Set<string>()
  const order: Array<string> = []
  let progress = true
  while (progress) {
    progress = false
    for (const id of ids) {
      if (placed.has(id)) continue
      if ((needs.get(id) ?? []).every((dep) => placed.has(dep))) {
        placed.add(id)
        order.push(id)
        progress = true
        break // restart from the top: an earlier stage may have become ready
      }
    }
  }
  const remaining = ids.filter((id) => !placed.has(id))
  return { order, cycle: remaining.length === 0 ? undefined : findCycle(remaining, needs, ids) }
}

/** Walks unplaced dependencies from the first unplaced stage until one repeats. */
const findCycle = (
  remaining: ReadonlyArray<string>,
  needs: ReadonlyMap<string, ReadonlyArray<string>>,
  ids: ReadonlyArray<string>
): ReadonlyArray<string> | undefined => {
  const unplaced = new Set(remaining)
  const path: Array<string> = []
  let current = remaining[0]
  while (current !== undefined && !path.includes(current)) {
    path.push(current)
    current = (needs.get(current) ?? []).find((dep) => unplaced.has(dep))
  }
  if (current === undefined) return undefined
  const cycle = path.slice(path.indexOf(current))
  const first = cycle.reduce((best, id) => (ids.indexOf(id) < ids.indexOf(best) ? id : best), current)
  const start = cycle.indexOf(first)
  return [...cycle.slice(start), ...cycle.slice(0, start)]
}
