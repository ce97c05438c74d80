/**
 * Stage selection from the command line. `--only S` selects S; `--until S` selects S and its
 * ancestors; `--from S` selects S and its descendants; flags combine as a union of their sets.
 * No flag selects everything. Selection never bypasses the cache: a selected stage whose key
 * matches a committed artifact is reused; `--force S` makes S run again. Stages outside the
 * selection that a selected stage needs must be reusable.
 */
import { Effect } from "effect"
import type { PipelineSpec } from "../spec/pipeline-spec.js"
import { UsageError } from "../errors.js"
import { suggestionText } from "../text/did-you-mean.js"

export interface SelectionFlags {
  readonly only: ReadonlyArray<string>
  readonly from: ReadonlyArray<string>
  readonly until: ReadonlyArray<string>
  readonly force: ReadonlyArray<string>
}

export const noSelection: SelectionFlags = { only: [], from: [], until: [], force: [] }

export interface Selection {
  readonly selected: ReadonlySet<string>
  readonly forced: ReadonlySet<string>
  /** Stages outside the selection whose outputs selected stages need. */
  readonly needed: ReadonlySet<string>
  /** Human-readable flags, for messages (`--only clusters`). */
  readonly describe: string
}

const closure = (start: string, next: (id: string) => ReadonlyArray<string>): Set<string> => {
  const seen = new Set<string>()
  const stack = [start]
  while (stack.length > 0) {
    const id = stack.pop()!
    if (seen.has(id)) continue
    seen.add(id)
    stack.push(...next(id))
  }
  return seen
}

export const resolveSelection = (spec: PipelineSpec, flags: SelectionFlags): Effect.Effect<Selection, UsageError> => {
  const ids = spec.stages.map((s) => s.id)
  const known = new Set(ids)
  for (const [flag, values] of Object.entries(flags) as Array<[string, ReadonlyArray<string>]>) {
    for (const id of values) {
      if (!known.has(id)) {
        return new UsageError({
          message: `--${flag} ${id}: no stage '${id}' in ${spec.file}; ${suggestionText(id, ids, "stages")}`
        })
      }
    }
  }
  const parents = new Map(spec.stages.map((s) => [s.id, s.needs] as const))
  const children = new Map<string, Array<string>>(ids.map((id) => [id, []]))
  for (const s of spec.stages) for (const p of s.needs) children.get(p)!.push(s.id)

  const anyFlag = flags.only.length + flags.from.length + flags.until.length > 0
  const selected = new Set<string>(anyFlag ? [] : ids)
  for (const id of flags.only) selected.add(id)
  for (const id of flags.until) for (const a of closure(id, (x) => parents.get(x) ?? [])) selected.add(a)
  for (const id of flags.from) for (const d of closure(id, (x) => children.get(x) ?? [])) selected.add(d)

  const needed = new Set<string>()
  for (const id of selected) {
    for (const a of closure(id, (x) => parents.get(x) ?? [])) if (!selected.has(a)) needed.add(a)
  }
  const describe = (["only", "from", "until"] as const)
    .flatMap((flag) => flags[flag].map((id) => `--${flag} ${id}`))
    .join(" ")
  return Effect.succeed({ selected, forced: new Set(flags.force), needed, describe })
}
