/** Entry point of the `pipeline` command (bin/pipeline.js). */
import { product } from "./product.js"
import { runLazyCli } from "./runtime/cli/main.js"

runLazyCli(process.argv.slice(2), product)
