/**
 * The product: the shipped module (stage kinds and the layers of their services) and the verbs it
 * adds to the runtime's (`serve`, `export`, `runner`). This is where the runtime (a framework) meets the workload.
 * Both load on first use: `pipeline --help` imports neither the stage kinds nor the HTTP server.
 */
import { lazyCommand, type LazyProduct } from "./runtime/cli/main.js"
import { runnerVerb } from "./layers/workers/cluster/runner-verb.js"
import { exportVerb } from "./export/export-verb.js"
import { serveVerb } from "./server/serve-verb.js"

export const product: LazyProduct = {
  loadModules: () => import("./shipped.js").then(({ shippedModule }) => [shippedModule]),
  commands: [
    lazyCommand(serveVerb, () => import("./server/serve-command.js").then(({ serveCommand }) => serveCommand)),
    lazyCommand(exportVerb, () => import("./export/export-command.js").then(({ exportCommand }) => exportCommand)),
    lazyCommand(runnerVerb, () => import("./layers/workers/cluster/runner-command.js").then(({ runnerCommand }) => runnerCommand))
  ]
}
