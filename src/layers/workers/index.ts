/** The WorkerPool service, its layers and its tasks. */
export { WorkerPoolError, WorkerTaskError } from "./errors.js"
export { WorkerPool, type WorkerPoolService } from "./service.js"
export { WorkerPoolInline } from "./inline.js"
export { WorkerPoolThreads, type WorkerPoolThreadsOptions } from "./threads.js"
export { type GeneratedChunk, type GenerateChunkInput, type TaskName } from "./tasks.js"
