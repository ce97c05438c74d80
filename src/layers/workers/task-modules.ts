/**
 * Finding a task by (module URL, name) in a worker thread: the module is imported on first use and
 * its exported tasks kept, one entry per URL. A TypeScript module (users' modules, or this
 * package's own under src/ when tests run from source) is imported through tsx, registered in the
 * worker the first time one is needed, so running from the built dist/ pays nothing for it.
 */
import { workerTasksOf, type WorkerTask } from "../../runtime/worker-task.js"
import { failed, type FailedOutcome, unknownTask } from "./task-runner.js"

const TYPESCRIPT = /\.[cm]?tsx?$/

const modules = new Map<string, Promise<ReadonlyMap<string, WorkerTask<unknown, unknown>>>>()
let tsx: Promise<void> | null = null

const isTypeScript = (url: string): boolean => {
  try {
    return TYPESCRIPT.test(new URL(url).pathname)
  } catch {
    return false
  }
}

/** Registers tsx's ESM loader in this thread, once. */
const registerTsx = (): Promise<void> =>
  (tsx ??= import("tsx/esm/api").then(
    ({ register }) => {
      register()
    },
    (error: unknown) => {
      tsx = null
      throw new Error(`loading a TypeScript module needs the tsx package: ${error instanceof Error ? error.message : String(error)}`)
    }
  ))

const load = (url: string): Promise<ReadonlyMap<string, WorkerTask<unknown, unknown>>> => {
  let entry = modules.get(url)
  if (entry === undefined) {
    entry = (isTypeScript(url) ? registerTsx() : Promise.resolve()).then(
      () => import(url) as Promise<Readonly<Record<string, unknown>>>
    ).then(workerTasksOf)
    // A module that failed to load is tried again by the next task (it may have been a race with a build).
    entry.catch(() => modules.delete(url))
    modules.set(url, entry)
  }
  return entry
}

/** The task `name` exported by module `url`, or the failure saying why there is none. */
export const findTask = async (url: string, name: string): Promise<WorkerTask<unknown, unknown> | FailedOutcome> => {
  let tasks: ReadonlyMap<string, WorkerTask<unknown, unknown>>
  try {
    tasks = await load(url)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return failed(name, "UnknownModule", `cannot load its module ${url}: ${detail}`, error)
  }
  const task = tasks.get(name)
  if (task !== undefined) return task
  return unknownTask(name, url, [...tasks.keys()])
}
