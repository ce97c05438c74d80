/**
 * The planner: for every stage of a pipeline, in dependency order, what a run would do and why.
 * A stage whose inputs will be rebuilt cannot know its key yet; it is planned to run, and the
 * scheduler decides again once its inputs are final (a rebuilt input with unchanged bytes still
 * lets it be reused).
 */
import { Effect } from "effect"
import { RunError, type LedgerError } from "../errors.js"
import type { StageRegistry } from "../registry.js"
import type { ArtifactStore } from "../services/artifact-store.js"
import type { RunLedger } from "../services/run-ledger.js"
import type { PipelineSpec, StageSpec } from "../spec/pipeline-spec.js"
import { cacheKeyOf, keyMaterialOf, listDigest } from "./cache-key.js"
import { decideAction, type StageAction } from "./decide.js"
import type { Selection } from "./selection.js"

export interface PlannedStage {
  readonly stage: StageSpec
  readonly selected: boolean
  readonly action: StageAction
}

export interface Plan {
  readonly spec: PipelineSpec
  readonly stages: ReadonlyArray<PlannedStage>
}

/**
 * Digest of a stage's output when it is already known (reused) or expected (rebuilt only because
 * its files are damaged), else null.
 */
const knownDigest = (action: StageAction | undefined): string | null =>
  action?._tag === "Reuse" ? action.artifact.digest : action?._tag === "Run" ? (action.expectedDigest ?? null) : null

/** The damaged stages a decision assumed rebuild to their committed bytes: theirs and their inputs'. */
const assumedBy = (action: StageAction | undefined, stageId: string): ReadonlyArray<string> =>
  action?._tag === "Run" && action.expectedDigest !== undefined ? [stageId] : action?._tag === "Reuse" ? (action.assuming ?? []) : []

export const planPipeline = <R>(
  spec: PipelineSpec,
  registry: StageRegistry<R>,
  selection: Selection
): Effect.Effect<Plan, RunError | LedgerError, RunLedger | ArtifactStore> =>
  Effect.gen(function* () {
    const actions = new Map<string, StageAction>()
    const planned: Array<PlannedStage> = []
    for (const stage of spec.stages) {
      // The loader only accepts stages whose kind is registered.
      const kind = registry.kinds.get(stage.kind)!
      const selected = selection.selected.has(stage.id)
      if (!selected && !selection.needed.has(stage.id)) {
        const action: StageAction = { _tag: "Skip", reason: "not selected" }
        actions.set(stage.id, action)
        planned.push({ stage, selected, action })
        continue
      }
      const digests: Record<string, string> = {}
      const rebuilt: Array<string> = []
      for (const [input, upstream] of Object.entries(stage.inputs)) {
        const digest = knownDigest(actions.get(upstream))
        if (digest === null) rebuilt.push(input)
        else digests[input] = digest
      }
      for (const [input, sources] of Object.entries(stage.inputLists)) {
        const known = sources.map((upstream) => knownDigest(actions.get(upstream)))
        if (known.some((d) => d === null)) rebuilt.push(input)
        else digests[input] = listDigest(known as ReadonlyArray<string>)
      }
      let action: StageAction
      if (rebuilt.length > 0) {
        action = {
          _tag: "Run",
          cacheKey: null,
          material: null,
          reasons: selection.forced.has(stage.id)
            ? ["forced"]
            : rebuilt.map((input) => `input ${input} will be rebuilt (reused if its bytes do not change)`)
        }
      } else {
        const material = keyMaterialOf(stage, kind, digests, spec.layers)
        action = yield* decideAction(stage.id, material, cacheKeyOf(material), selection.forced.has(stage.id))
        const assuming = [...new Set(stage.needs.flatMap((upstream) => assumedBy(actions.get(upstream), upstream)))]
        if (action._tag === "Reuse" && assuming.length > 0) action = { ...action, assuming }
      }
      if (!selected && action._tag !== "Reuse") {
        const why = action._tag === "Skip" ? action.reason : action.reasons.join("; ")
        return yield* new RunError({
          message:
            `stage '${stage.id}' is outside the selection (${selection.describe}) but a selected stage needs its ` +
            `output, and it has none to reuse (${why}). Run it first, e.g. with --until ${stage.id}.`
        })
      }
      actions.set(stage.id, action)
      planned.push({ stage, selected, action })
    }
    return { spec, stages: planned }
  })
