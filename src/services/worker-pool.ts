/**
 * The `WorkerPool` service as stages see it: the Tag and its errors. Which pool runs the tasks
 * (worker threads, inline for tests) is the pipeline's choice (`layers.workers`).
 */
export { WorkerPool, type WorkerPoolService } from "../layers/workers/service.js"
export { WorkerPoolError, WorkerTaskError } from "../layers/workers/errors.js"
export { type WorkerTaskFailure } from "../layers/workers/errors.js"
export { defineWorkerTask, isWorkerTask, type WorkerTask, type WorkerTaskDefinition } from "../runtime/worker-task.js"
export { withChunkKey } from "../layers/workers/chunk-key.js"
