/**
 * Writes the `clusters` table of a k-means run: `id` (profile id, primary key), `cluster_id`,
 * `distance` (squared L2 to the cluster's centroid), plus an index on `cluster_id`. One prepared
 * statement, one transaction, WAL. The database is built under a temporary name and renamed into
 * place after it is closed, so a crash never leaves a half-filled table under the final name.
 */
import Database from "better-sqlite3"
import { mkdirSync, renameSync, rmSync } from "node:fs"
import { dirname } from "node:path"
import { Effect } from "effect"
import { StageError } from "../../runtime/errors.js"

const removeDatabase = (path: string) => {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true })
}

export const writeClusterTable = (
  path: string,
  table: string,
  ids: BigInt64Array,
  assignment: Int32Array,
  distance: Float32Array
): Effect.Effect<void, StageError> =>
  Effect.try({
    try: () => {
      const tmp = `${path}.tmp`
      mkdirSync(dirname(path), { recursive: true })
      removeDatabase(tmp)
      const db = new Database(tmp)
      try {
        db.pragma("journal_mode = WAL")
        db.pragma("synchronous = NORMAL")
        db.pragma("temp_store = MEMORY")
        db.exec(
          `CREATE TABLE ${table} (id INTEGER PRIMARY KEY, cluster_id INTEGER NOT NULL, distance REAL NOT NULL)`
        )
        const insert = db.prepare(`INSERT INTO ${table} (id, cluster_id, distance) VALUES (?, ?, ?)`)
        db.transaction(() => {
          for (let i = 0; i < ids.length; i++) insert.run(ids[i]!, assignment[i]!, distance[i]!)
        })()
        db.exec(`CREATE INDEX ${table}_cluster ON ${table} (cluster_id)`)
        db.pragma("wal_checkpoint(TRUNCATE)")
      } finally {
        db.close()
      }
      removeDatabase(path)
      renameSync(tmp, path)
      removeDatabase(tmp)
    },
    catch: (cause) =>
      new StageError({ message: `cannot write the ${table} table to ${path}: ${String(cause)}`, retryable: false, cause })
  })
