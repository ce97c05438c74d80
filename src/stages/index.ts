/** The stage kinds shipped with the product, as the registry the CLI uses. */
import { makeRegistry } from "../runtime/registry.js"
import { exampleNumbers } from "./examples/example-numbers.js"
import { exampleReport } from "./examples/example-report.js"
import { exampleHistogram, exampleStats } from "./examples/example-stats.js"

export const shippedKinds = [exampleNumbers, exampleStats, exampleHistogram, exampleReport] as const

export const productRegistry = makeRegistry([...shippedKinds])
