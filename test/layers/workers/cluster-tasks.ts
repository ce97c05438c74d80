/**
 * Worker tasks that probe the cluster pool's delivery: how many times a task ran (state of the
 * runner's copy of this module, read back through the pool), and a task that never finishes the
 * first time it runs for an id, as if its runner had died under it.
 */
import { Schema } from "effect"
import { defineWorkerTask } from "../../../src/runtime/worker-task.js"

const runs = new Map<string, number>()
const bump = (id: string): number => {
  const n = (runs.get(id) ?? 0) + 1
  runs.set(id, n)
  return n
}

/** Returns `id` and how many times it has run for that id in this module instance. */
export const Tally = defineWorkerTask({
  name: "cluster-test/tally",
  module: import.meta.url,
  input: Schema.String,
  output: Schema.Struct({ id: Schema.String, run: Schema.Int }),
  run: (id) => ({ id, run: bump(`tally:${id}`) })
})

/** The first run for an `id` never settles (its runner "dies" under it); later runs return `id` upper-cased. */
export const HangOnce = defineWorkerTask({
  name: "cluster-test/hang-once",
  module: import.meta.url,
  input: Schema.String,
  output: Schema.String,
  run: (id) => (bump(`hang:${id}`) === 1 ? new Promise<string>(() => {}) : id.toUpperCase())
})

/** How many times `Tally` or `HangOnce` ran for an id (`tally:x`, `hang:x`) in this module instance. */
export const Runs = defineWorkerTask({
  name: "cluster-test/runs",
  module: import.meta.url,
  input: Schema.String,
  output: Schema.Int,
  run: (key) => runs.get(key) ?? 0
})
