/**
 * The WorkerPool on Effect's cluster engine (`@effect/cluster`): each task run is a persisted
 * message to the sharded `ChunkTask` entity, served by whichever runner holds its shard, and
 * delivered again to another runner if that one dies (at-least-once).
 *
 * - `WorkerPoolCluster.layer({ size })`: the driver's WorkerPool; needs `Sharding`.
 * - `WorkerPoolCluster.runner()`: registers the entity on a runner; needs `Sharding` and the
 *   runner's local WorkerPool (threads in production), which runs the tasks.
 * - `WorkerPoolCluster.withChunkKey(cacheKey, chunk)`: keys the calls inside it, so a repeated
 *   send of the same chunk is answered from storage.
 *
 * A runner resolves a task by name among the tasks it was given (`runner({ tasks })`: the
 * shipped ones and its user modules', from its own install), else by the module URL the driver
 * sent. The PostgreSQL-backed processes are in engine.ts and postgres-pool.ts; `pipeline runner`
 * is runner-command.ts.
 */
import { withChunkKey } from "../chunk-key.js"
import { clusterPoolLayer } from "./cluster-pool.js"
import { chunkRunnerLayer } from "./chunk-runner.js"

export type { WorkerPoolClusterOptions } from "./cluster-pool.js"
export type { ChunkRunnerOptions } from "./chunk-runner.js"

/** The cluster-backed WorkerPool: the driver's layer, the runner's layer, and the chunk key. */
export const WorkerPoolCluster = {
  layer: clusterPoolLayer,
  runner: chunkRunnerLayer,
  withChunkKey
} as const
