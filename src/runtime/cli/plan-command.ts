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

export const planCommand = (
  args: ParsedArgs,
  base: Catalog
): Effect.Effect<number, PipelineInvalid | UsageError | RunError | LedgerError> =>
  Effect.gen(function* () {
    const { spec, catalog } = yield* loadFromArgs(args.positionals[0]!, args, base)
    const selection = yield* resolveSelection(spec, selectionFlags(args))
    const plan = yield* planPipeline(spec, catalog.registry, selection).pipe(Effect.provide(runtimeLayers(spec, "off")))
    const rows = plan.stages.map((p) => [
      p.stage.id,
      p.stage.kind,
      actionLabel(p.action),
      p.action._tag === "Reuse"
        ? `unchanged (key ${p.action.cacheKey.slice(0, 12)}, from run ${p.action.artifact.runId})`
        : p.action._tag === "Skip"
          ? p.action.reason
          : p.action.reasons.join("; ")
    ])
    yield* Console.log(`Plan for '${spec.name}' (${spec.file}), output ${spec.outputDir}\n`)
    yield* Console.log(formatTable(["stage", "kind", "action", "why"], rows))
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
