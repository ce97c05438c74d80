/** The CLI's verbs and their flags: the one table `--help`, parsing and the docs come from. */
import type { FlagSpec, VerbSpec } from "./args.js"

const FILE = { name: "FILE", required: true, description: "pipeline file, e.g. pipelines/full.yaml" } as const

export const loadFlags: ReadonlyArray<FlagSpec> = [
  { name: "set", type: "list", placeholder: "PATH=VALUE", description: "override a value, e.g. --set stages.clusters.with.k=64" },
  { name: "profile", type: "string", placeholder: "NAME", description: "merge config/NAME.yaml under the file" },
  { name: "config-dir", type: "string", placeholder: "DIR", description: "where default.yaml and profiles live (default: config/ of the project the pipeline file is in)" }
]

const selectionFlags: ReadonlyArray<FlagSpec> = [
  { name: "only", type: "list", placeholder: "STAGE", description: "select only this stage (its inputs must be reusable)" },
  { name: "from", type: "list", placeholder: "STAGE", description: "select this stage and everything downstream of it" },
  { name: "until", type: "list", placeholder: "STAGE", description: "select this stage and everything it depends on" },
  { name: "force", type: "list", placeholder: "STAGE", description: "run this stage again even if its output could be reused" }
]

export const verbs: ReadonlyArray<VerbSpec> = [
  {
    name: "run",
    summary:
      "Runs a pipeline: reuses every stage whose inputs and config are unchanged, resumes an interrupted stage from " +
      "its last committed chunk, and runs the rest, in parallel where the DAG allows.",
    positionals: [FILE],
    flags: [
      ...loadFlags,
      ...selectionFlags,
      { name: "concurrency", type: "int", placeholder: "N", description: "stages running at once (default: CPU cores)" },
      { name: "progress", type: "string", placeholder: "MODE", description: "auto | tty | plain | off (default: layers.progress.mode)" }
    ]
  },
  {
    name: "plan",
    summary: "Prints what 'run' would do for each stage (run, reuse, resume at chunk N) and why, without running anything.",
    positionals: [FILE],
    flags: [...loadFlags, ...selectionFlags]
  },
  {
    name: "validate",
    summary: "Checks a pipeline file: YAML, keys, stage kinds, config types, wiring, DAG and resources. Exit code 2 when invalid.",
    positionals: [FILE],
    flags: loadFlags
  },
  {
    name: "list",
    summary:
      "Lists the stage kinds with their inputs, output and config fields (types and defaults), the layers and the worker tasks. " +
      "With FILE, also those of the modules its 'kinds:' names.",
    positionals: [{ name: "FILE", required: false, description: "pipeline file whose modules to list too" }],
    flags: loadFlags
  },
  {
    name: "graph",
    summary: "Prints a pipeline's DAG as a Mermaid flowchart (or Graphviz DOT).",
    positionals: [FILE],
    flags: [...loadFlags, { name: "format", type: "string", placeholder: "mermaid|dot", description: "output format (default mermaid)" }]
  },
  {
    name: "runs",
    summary: "Lists recent runs of a pipeline (or of every pipeline under out/), newest first.",
    positionals: [{ name: "FILE", required: false, description: "pipeline file; without it, every ledger under out/" }],
    flags: [
      ...loadFlags,
      { name: "limit", type: "int", placeholder: "N", description: "how many runs to show (default 20)" },
      { name: "out", type: "string", placeholder: "DIR", description: "where pipeline outputs live (default out)" }
    ]
  },
  {
    name: "gc",
    summary:
      "Frees disk: removes the stage directories none of the last N runs made, reused or tried, and forgets their artifacts " +
      "in the ledger (runs and their history stay). Stops for an output directory a run is using.",
    positionals: [{ name: "FILE", required: false, description: "pipeline file; without it, every pipeline output under out/" }],
    flags: [
      ...loadFlags,
      { name: "keep", type: "int", placeholder: "N", description: "keep what the last N runs used (default 3)" },
      { name: "dry-run", type: "boolean", description: "list what would be removed, remove nothing" },
      { name: "out", type: "string", placeholder: "DIR", description: "where pipeline outputs live (default out)" }
    ]
  },
  {
    name: "verify",
    summary:
      "Reads every committed artifact in full and checks each file against the size and sha256 recorded at commit " +
      "(plan and run check sizes and sampled blocks). Exit 1 when any is damaged.",
    positionals: [FILE],
    flags: [...loadFlags, { name: "run", type: "string", placeholder: "RUN", description: "check only the artifacts this run made or reused" }]
  },
  {
    name: "show",
    summary: "Shows one run: its stages' attempts with status, time, rows and errors, and where its event log is.",
    positionals: [
      { name: "RUN", required: true, description: "run id, as 'pipeline runs' prints it" },
      { name: "FILE", required: false, description: "pipeline file; without it, every ledger under out/ is searched" }
    ],
    flags: [...loadFlags, { name: "out", type: "string", placeholder: "DIR", description: "where pipeline outputs live (default out)" }]
  }
]
