/**
 * The product: the shipped module (stage kinds and the layers of their services) and the verbs it
 * adds to the runtime's (`serve`). This is where the runtime (a framework) meets the workload.
 */
import type { Product } from "./runtime/cli/run-command.js"
import { serveCommand } from "./server/serve-command.js"
import { shippedModule } from "./shipped.js"

export const product: Product = {
  modules: [shippedModule],
  commands: [serveCommand]
}
