/**
 * The `serve` verb's spec (arguments, flags, help) and defaults, apart from its implementation so
 * that `pipeline --help` and `pipeline serve --help` list it without loading the HTTP server.
 */
import type { VerbSpec } from "../runtime/cli/args.js"
import { loadFlags } from "../runtime/cli/verbs.js"

export const DEFAULT_PIPELINE = "pipelines/full.yaml"
export const DEFAULT_HOST = "127.0.0.1"
export const DEFAULT_PORT = 8881

/** `pipeline serve [FILE]`: the dashboard over a pipeline's latest successful run. */
export const serveVerb: VerbSpec = {
  name: "serve",
  summary:
    "Serves the matchmaking dashboard and its JSON API over a pipeline's latest successful run: profiles, the saved " +
    "FAISS index and the embeddings. Listens at once and loads in the background.",
  positionals: [{ name: "FILE", required: false, description: `pipeline file (default ${DEFAULT_PIPELINE})` }],
  flags: [
    ...loadFlags,
    { name: "run", type: "string", placeholder: "RUN", description: "serve this run ('pipeline runs' lists them) instead of the latest" },
    { name: "index", type: "string", placeholder: "STAGE", description: "the ANN index stage to serve (default index)" },
    { name: "host", type: "string", placeholder: "HOST", description: `address to bind (default ${DEFAULT_HOST}: this machine only)` },
    { name: "port", type: "string", placeholder: "PORT", description: `port (default ${DEFAULT_PORT}; 0: any free port)` },
    {
      name: "allow-host",
      type: "list",
      placeholder: "NAME",
      description: "also answer requests whose Host is NAME (loopback names and --host are always answered; others get 421)"
    },
    { name: "fail-on-error", type: "boolean", description: "exit 1, with the reason on stderr, when the artifacts cannot be loaded" }
  ]
}
