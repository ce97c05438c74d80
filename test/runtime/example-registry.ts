/** The shipped example kinds, as a registry for the test harness (they need no product services). */
import { makeRegistry, type StageRegistry } from "../../src/runtime/registry.js"
import { exampleKinds } from "../../src/stages/index.js"

export const exampleRegistry: StageRegistry<never> = makeRegistry([...exampleKinds])
