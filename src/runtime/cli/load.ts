/** Loads the pipeline named on the command line, with its --set, --profile and --config-dir. */
import { resolve } from "node:path"
import type { Effect } from "effect"
import type { PipelineInvalid } from "../errors.js"
import { layerSettingsSchemas } from "../layer-settings.js"
import type { StageRegistry } from "../registry.js"
import { loadPipeline } from "../spec/load.js"
import type { PipelineSpec } from "../spec/pipeline-spec.js"
import type { ParsedArgs } from "./args.js"

export const loadFromArgs = (
  file: string,
  args: ParsedArgs,
  registry: StageRegistry<unknown>
): Effect.Effect<PipelineSpec, PipelineInvalid> =>
  loadPipeline({
    file,
    sets: args.lists.get("set") ?? [],
    profile: args.strings.get("profile"),
    configDir: resolve(args.strings.get("config-dir") ?? "config"),
    registry,
    layers: layerSettingsSchemas
  })
