/** The shipped example kinds, typed for the test harness (they need no product services). */
import type { StageRegistry } from "../../src/runtime/registry.js"
import { productRegistry } from "../../src/stages/index.js"

export const exampleRegistry: StageRegistry<never> = productRegistry
