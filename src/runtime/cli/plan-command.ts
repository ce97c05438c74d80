/** `pipeline plan FILE` and `pipeline validate FILE`. */
import { Console, Effect } from "effect"
import type { LedgerError, PipelineInvalid, RunError, UsageError } from "../errors.js"
import { actionLabel } from "../plan/decide.js"
import { planPipeline } from "../plan/planner.js"
import { resolveSelection } from "../plan/selection.js"
import type { Catalog } from "../modules/catalog.js"
import type { ParsedArgs } from "./args.js"
import { loadFromArgs } from "./load.js"
import { runtimeLayers } from "./product-layers.js"
import { selectionFlags } from "./selection-flags.js"
import { formatTable } from "./table.js"

/** The planner's sentence for an input that an upstream stage will rebuild (planner.ts). */
const REBUILT = /^input (\S+) will be rebuilt \(reused if its bytes do not change\)$/

/**
 * The "why" of a stage that will run, short: the planner's one sentence per rebuilt input
 * becomes "inputs will be rebuilt" (naming them only when some inputs are not), and the
 * sentence's caveat is said once under the table. Other reasons are kept whole.
 */
export const compactReasons = (reasons: ReadonlyArray<string>, inputCount: number): { readonly why: string; readonly rebuilt: boolean } => {
  const rebuilt = reasons.flatMap((r) => REBUILT.exec(r)?.[1] ?? [])
  const others = reasons.filter((r) => !REBUILT.test(r))
  if (rebuilt.length === 0) return { why: reasons.join("; "), rebuilt: false }
  const summary = rebuilt.length >= inputCount ? "inputs will be rebuilt" : `input${rebuilt.length === 1 ? "" : "s"} ${rebuilt.join(", ")} will be rebuilt`
  return { why: [...others, summary].join("; "), rebuilt: true }
}

export const planCommand = (
  args: ParsedArgs,
  base: Catalog
): Effect.Effect<number, PipelineInvalid | UsageError | RunError | LedgerError> =>
  Effect.gen(function* () {
    const { spec, catalog } = yield* loadFromArgs(args.positionals[0]!, args, base)
    const selection = yield* resolveSelection(spec, selectionFlags(args))
    const plan = yield* planPipeline(spec, catalog.registry, selection).pipe(Effect.provide(runtimeLayers(spec, "off")))
    let anyRebuilt = false
    const rows = plan.stages.map((p) => {
      const why = (() => {
        if (p.action._tag === "Reuse") {
          const unchanged = `unchanged (key ${p.action.cacheKey.slice(0, 12)}, from run ${p.action.artifact.runId})`
          const assuming = p.action.assuming ?? []
          return assuming.length === 0 ? unchanged : `${unchanged}, if ${assuming.join(", ")} rebuild${assuming.length === 1 ? "s" : ""} the same bytes`
        }
        if (p.action._tag === "Skip") return p.action.reason
        const compact = compactReasons(p.action.reasons, Object.keys(p.stage.inputs).length)
        anyRebuilt ||= compact.rebuilt
        return compact.why
      })()
      return [p.stage.id, p.stage.kind, actionLabel(p.action), why]
    })
    yield* Console.log(`Plan for '${spec.name}' (${spec.file}), output ${spec.outputDir}\n`)
    yield* Console.log(formatTable(["stage", "kind", "action", "why"], rows))
    if (anyRebuilt) {
      yield* Console.log("\nA stage whose inputs will be rebuilt is still reused if the rebuilt inputs' bytes do not change.")
    }
    return 0
  })

export const validateCommand = (
  args: ParsedArgs,
  base: Catalog
): Effect.Effect<number, PipelineInvalid> =>
  Effect.gen(function* () {
    const { spec } = yield* loadFromArgs(args.positionals[0]!, args, base)
    yield* Console.log(
      `${spec.file} is valid: pipeline '${spec.name}', ${spec.stages.length} stages (${spec.stages.map((s) => s.id).join(", ")}), output ${spec.outputDir}`
    )
    return 0
  })
