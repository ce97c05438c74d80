/** Loads the pipeline named on the command line, with its --set, --profile and --config-dir, and its modules. */
import { resolve } from "node:path"
import { Effect } from "effect"
import { PipelineInvalid } from "../errors.js"
import type { Catalog } from "../modules/catalog.js"
import { openPipeline, type OpenedPipeline } from "../modules/open-pipeline.js"
import { kindOfPath } from "../spec/sources.js"
import type { ParsedArgs } from "./args.js"

export const loadFromArgs = (file: string, args: ParsedArgs, catalog: Catalog): Effect.Effect<OpenedPipeline, PipelineInvalid> => {
  const configDirFlag = args.strings.get("config-dir")
  const configDir = configDirFlag === undefined ? undefined : resolve(configDirFlag)
  if (configDir !== undefined) {
    // A directory named on the command line must exist: a typo would otherwise drop every default silently.
    const kind = kindOfPath(configDir)
    if (kind !== "directory") {
      const found = kind === "missing" ? "does not exist" : `is ${kind}`
      return Effect.fail(
        new PipelineInvalid({
          issues: [{ file: "--config-dir", line: 0, column: 0, path: "", message: `${configDirFlag ?? configDir} ${found}; expected a directory (of default.yaml and profiles)` }]
        })
      )
    }
  }
  return openPipeline({
    file,
    sets: args.lists.get("set") ?? [],
    profile: args.strings.get("profile"),
    configDir,
    catalog
  })
}
