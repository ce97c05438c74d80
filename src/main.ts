/** Entry point of the `pipeline` command (bin/pipeline.js). */
import { product } from "./product.js"
import { runCli } from "./runtime/cli/main.js"

runCli(process.argv.slice(2), product)
