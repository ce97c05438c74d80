/** Loads the pipeline named on the command line, with its --set, --profile and --config-dir, and its modules. */
import { resolve } from "node:path"
import type { Effect } from "effect"
import type { PipelineInvalid } from "../errors.js"
import type { Catalog } from "../modules/catalog.js"
import { openPipeline, type OpenedPipeline } from "../modules/open-pipeline.js"
import type { ParsedArgs } from "./args.js"

export const loadFromArgs = (file: string, args: ParsedArgs, catalog: Catalog): Effect.Effect<OpenedPipeline, PipelineInvalid> => {
  const configDirFlag = args.strings.get("config-dir")
  return openPipeline({
    file,
    sets: args.lists.get("set") ?? [],
    profile: args.strings.get("profile"),
    configDir: configDirFlag === undefined ? undefined : resolve(configDirFlag),
    catalog
  })
}
