/**
 * The `export` verb's spec (arguments, flags, help), apart from its implementation so that
 * `pipeline --help` lists it without loading the writers.
 */
import type { VerbSpec } from "../runtime/cli/args.js"
import { loadFlags } from "../runtime/cli/verbs.js"
import { EXPORT_FORMATS } from "./export-plan.js"

export const DEFAULT_EXPORT_PIPELINE = "pipelines/full.yaml"
/** Origins whose scored matches are exported when none are named. */
export const DEFAULT_MATCH_SAMPLE = 100

/** `pipeline export [RUN|FILE] [FILE] --to DIR`: a finished run's data in other tools' formats. */
export const exportVerb: VerbSpec = {
  name: "export",
  summary:
    "Exports a finished run's data for pandas, NumPy, DuckDB and Spark: profiles as Parquet and CSV, vectors, centroids and " +
    "assignments as NumPy .npy and Parquet, scored matches of sampled origins as JSON lines, Parquet and CSV (docs/data-layout.md).",
  positionals: [
    { name: "RUN|FILE", required: false, description: `a run id ('pipeline runs' lists them) or a pipeline file (default ${DEFAULT_EXPORT_PIPELINE}: its newest succeeded run)` },
    { name: "FILE", required: false, description: "the pipeline file of RUN, when its ledger is not under out/" }
  ],
  flags: [
    ...loadFlags,
    { name: "to", type: "string", placeholder: "DIR", description: "the directory to write (required); it must not exist or be empty, unless --overwrite" },
    { name: "format", type: "list", placeholder: "FORMAT", description: `formats to write, repeated or comma-separated: ${EXPORT_FORMATS.join(", ")} (default all)` },
    { name: "run", type: "string", placeholder: "RUN", description: "export this run of FILE instead of its newest succeeded one" },
    { name: "overwrite", type: "boolean", description: "replace DIR when it exists and is not empty (once the new export is complete)" },
    { name: "origins", type: "list", placeholder: "ID", description: "profile ids whose scored matches to export (repeated or comma-separated)" },
    { name: "sample", type: "int", placeholder: "N", description: `otherwise, this many sampled origins (default ${DEFAULT_MATCH_SAMPLE}; 0: no matches)` },
    { name: "top", type: "int", placeholder: "N", description: "matches per origin (default 10)" },
    { name: "index", type: "string", placeholder: "STAGE", description: "the ANN index stage the matches come from (default index, or the run's only one)" }
  ]
}
