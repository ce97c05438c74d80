/**
 * The SQLite half of a ClusterAssignment (cluster-assignment.ts): the `clusters` table of a
 * k-means run, `id` (profile id, primary key), `cluster_id`, `distance` (squared L2 to the
 * cluster's centroid), plus an index on `cluster_id`. Multi-row
 * prepared inserts in one transaction. The database is built under a temporary name (without a
 * journal: nothing needs rolling back in a file that is thrown away on failure) and renamed into
 * place after it is closed, in WAL mode, so a crash never leaves a half-filled table under the
 * final name.
 */
import { mkdirSync, renameSync } from "node:fs"
import { dirname } from "node:path"
import { Effect } from "effect"
// The scratch opener is an implementation detail of the SQLite layer that the Sqlite service does
// not offer (its handles are WAL files opened in place); artifact modules may use layer internals.
import { finishBulkLoad, openScratchDatabase, removeDatabaseFiles } from "../layers/sqlite/open.js"
import { StageError } from "../runtime/errors.js"

/** Rows per multi-row INSERT (fewer statement calls; ids bound as numbers, not BigInts). */
const ROWS_PER_STATEMENT = 100

/** Writes `table` to the database `path` (replacing it): one row per id, in the given order. */
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
      // A scratch file until renamed: no journal while filling it; WAL (for readers) once done.
      const db = openScratchDatabase(tmp)
      try {
        db.exec(
          `CREATE TABLE ${table} (id INTEGER PRIMARY KEY, cluster_id INTEGER NOT NULL, distance REAL NOT NULL)`
        )
        const many = db.prepare(
          `INSERT INTO ${table} (id, cluster_id, distance) VALUES ${Array.from({ length: ROWS_PER_STATEMENT }, () => "(?, ?, ?)").join(",")}`
        )
        const one = db.prepare(`INSERT INTO ${table} (id, cluster_id, distance) VALUES (?, ?, ?)`)
        const batch = new Array<number>(3 * ROWS_PER_STATEMENT)
        db.transaction(() => {
          const full = ids.length - (ids.length % ROWS_PER_STATEMENT)
          for (let i = 0; i < full; i += ROWS_PER_STATEMENT) {
            for (let r = 0; r < ROWS_PER_STATEMENT; r++) {
              batch[3 * r] = Number(ids[i + r]!)
              batch[3 * r + 1] = assignment[i + r]!
              batch[3 * r + 2] = distance[i + r]!
            }
            many.run(batch)
          }
          for (let i = full; i < ids.length; i++) one.run(Number(ids[i]!), assignment[i]!, distance[i]!)
        })()
        db.exec(`CREATE INDEX ${table}_cluster ON ${table} (cluster_id)`)
        finishBulkLoad(db)
      } finally {
        db.close()
      }
      removeDatabaseFiles(path)
      renameSync(tmp, path)
      removeDatabaseFiles(tmp)
    },
    catch: (cause) => StageError.fatal(`cannot write the ${table} table to ${path}: ${String(cause)}`, cause)
  })
