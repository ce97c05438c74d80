/**
 * `PRAGMA quick_check` of a SQLite file on a worker thread. On a 1M-profile file it reads every
 * page (about a second idle, several on a loaded machine); on the server's own thread that would
 * leave `/healthz` and the page unanswered meanwhile.
 */
import { createRequire } from "node:module"
import { Worker } from "node:worker_threads"

/** What the check found: SQLite's complaints (empty when "ok"), or that the file could not be opened there. */
export type QuickCheckResult =
  | { readonly _tag: "Checked"; readonly problems: ReadonlyArray<string> }
  | { readonly _tag: "CannotOpen"; readonly code: string }

// The thread loads better-sqlite3 by the path this module resolves, not from the working directory.
const sqlitePath = createRequire(import.meta.url).resolve("better-sqlite3")

const THREAD = `
const { parentPort, workerData } = require("node:worker_threads")
const Database = require(workerData.sqlitePath)
let db
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true })
  const rows = db.pragma("quick_check")
  parentPort.postMessage({ _tag: "Checked", problems: rows.map((r) => r.quick_check).filter((m) => m !== "ok") })
} catch (error) {
  if (error && (error.code === "SQLITE_CANTOPEN" || error.code === "SQLITE_READONLY_DIRECTORY")) {
    parentPort.postMessage({ _tag: "CannotOpen", code: error.code })
  } else {
    parentPort.postMessage({ _tag: "Checked", problems: [String(error && error.message ? error.message : error)] })
  }
} finally {
  if (db) db.close()
}
`

/** Runs the check on a fresh thread; rejects only if the thread itself fails. */
export const quickCheckOffThread = (path: string): Promise<QuickCheckResult> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(THREAD, { eval: true, workerData: { path, sqlitePath } })
    worker.once("message", (result: QuickCheckResult) => {
      resolve(result)
      void worker.terminate()
    })
    worker.once("error", reject)
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the quick_check thread exited with code ${code}`))
    })
  })
