/** The WorkerPool service and its layers. Tasks are defined by the modules that own them (src/runtime/worker-task.ts). */
export { WorkerPoolError, WorkerTaskError, type WorkerTaskFailure } from "./errors.js"
export { WorkerPool, type WorkerPoolService } from "./service.js"
export { WorkerPoolInline } from "./inline.js"
export { WorkerPoolThreads, type WorkerPoolThreadsOptions } from "./threads.js"
