/**
 * The `runner` verb's spec (arguments, flags, help), apart from its implementation so that
 * `pipeline --help` lists it without loading the cluster engine.
 */
import type { VerbSpec } from "../../../runtime/cli/args.js"
import { loadFlags } from "../../../runtime/cli/verbs.js"

export const DEFAULT_RUNNER_HOST = "127.0.0.1"
/** The engine's own default runner port. */
export const DEFAULT_RUNNER_PORT = 34431

/** `pipeline runner --storage URL [FILE]`: one cluster runner. */
export const runnerVerb: VerbSpec = {
  name: "runner",
  summary:
    "Runs a cluster runner: serves the chunk tasks of pipelines whose layers.workers.engine is cluster, for the shards it " +
    "holds, on its own worker threads. Registers in the PostgreSQL storage; SIGTERM stops it gracefully (docs/cluster.md).",
  positionals: [{ name: "FILE", required: false, description: "a pipeline file whose user modules' tasks to serve too (the shipped ones always are)" }],
  flags: [
    ...loadFlags,
    { name: "storage", type: "string", placeholder: "URL", description: "the PostgreSQL URL the driver uses too (required), e.g. postgres://postgres@db:5432/pipeline" },
    { name: "host", type: "string", placeholder: "HOST", description: `the address other processes reach this runner at (default ${DEFAULT_RUNNER_HOST}: this machine only)` },
    { name: "port", type: "string", placeholder: "PORT", description: `its port (default ${DEFAULT_RUNNER_PORT})` },
    { name: "listen", type: "string", placeholder: "HOST", description: "the interface to listen on, when it differs from --host (e.g. 0.0.0.0 behind NAT)" },
    { name: "threads", type: "int", placeholder: "N", description: "worker threads for the tasks (default: CPU cores)" }
  ]
}
