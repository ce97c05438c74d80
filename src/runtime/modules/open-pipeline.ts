/**
 * `openPipeline`: a pipeline with its modules. Reads the documents for their `kinds:` entries,
 * loads those modules, extends the catalog with what they export, then loads and validates the
 * pipeline against that catalog (its kinds, and its layers' settings Schemas).
 */
import { Effect } from "effect"
import { PipelineInvalid } from "../errors.js"
import { IssueLog } from "../spec/issue-log.js"
import { loadPipeline } from "../spec/load.js"
import type { PipelineSpec } from "../spec/pipeline-spec.js"
import { defaultConfigDir } from "../spec/project-dir.js"
import { readSourceDocuments } from "../spec/sources.js"
import { type Catalog, extendCatalog, layerSchemasOf } from "./catalog.js"
import { loadModules, type ModuleEntry, moduleEntriesOf } from "./load-modules.js"

export interface OpenOptions {
  /** The pipeline file; with `text`, the name it has in messages and the directory `kinds:` resolve from. */
  readonly file: string
  /** The pipeline's YAML, when it is not in a file. */
  readonly text?: string | undefined
  readonly sets?: ReadonlyArray<string>
  readonly profile?: string | undefined
  /** Where `default.yaml` and the profiles are (default: `config/` of the file's project). */
  readonly configDir?: string | undefined
  /** What the pipeline can use before its own `kinds:` (the shipped modules). */
  readonly catalog: Catalog
  /** More modules, as if listed under `kinds:` (specifiers resolve from the working directory). */
  readonly modules?: ReadonlyArray<string>
}

export interface OpenedPipeline {
  readonly spec: PipelineSpec
  /** The catalog with the pipeline's own modules added. */
  readonly catalog: Catalog
}

export const openPipeline = (options: OpenOptions): Effect.Effect<OpenedPipeline, PipelineInvalid> =>
  Effect.gen(function* () {
    const configDir = options.configDir ?? defaultConfigDir(options.file)
    const log = new IssueLog()
    const documents = readSourceDocuments({ file: options.file, text: options.text, profile: options.profile, configDir }, log)
    // A file that cannot be read is reported by loadPipeline below, with everything else it finds.
    const entries: Array<ModuleEntry> = (options.modules ?? []).map((specifier) => ({
      specifier,
      loc: { file: "modules", line: 0, column: 0 },
      baseDir: process.cwd()
    }))
    if (documents !== undefined) entries.push(...moduleEntriesOf(documents, log))
    const loaded = yield* loadModules(entries, log)
    const catalog = extendCatalog(options.catalog, loaded, log)
    if (documents !== undefined && log.size > 0) return yield* new PipelineInvalid({ issues: log.sorted() })
    const spec = yield* loadPipeline({
      file: options.file,
      text: options.text,
      sets: options.sets ?? [],
      profile: options.profile,
      configDir,
      registry: catalog.registry,
      layers: layerSchemasOf(catalog)
    })
    return { spec, catalog }
  })
