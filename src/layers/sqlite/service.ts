/**
 * The `Sqlite` service: opens data databases (profiles, vector BLOB tables) for stages, and vector
 * sinks (a thread that writes one stage's vectors: vector-sink.ts). `open` is scoped: the handle closes (after a WAL checkpoint when writable) when the stage's scope ends,
 * whether it succeeded, failed or was interrupted; an open transaction then rolls back.
 */
import { Context, Effect, Layer, type Scope } from "effect"
import { SqliteError } from "./errors.js"
import { openDatabase, type OpenOptions, type SqliteDatabase } from "./open.js"
import { openVectorSink, type VectorSink, type VectorSinkSpec } from "./vector-sink.js"

export interface SqliteService {
  readonly open: (path: string, options?: OpenOptions) => Effect.Effect<SqliteDatabase, SqliteError, Scope.Scope>
  /** A vector stage's writer on its own thread (vector-sink.ts); closes with the scope. */
  readonly openVectorSink: (spec: VectorSinkSpec) => Effect.Effect<VectorSink, SqliteError, Scope.Scope>
}

export class Sqlite extends Context.Tag("pipeline/Sqlite")<Sqlite, SqliteService>() {}

const open = (path: string, options: OpenOptions = {}) =>
  Effect.acquireRelease(
    Effect.try({
      try: () => openDatabase(path, options),
      catch: (cause) =>
        new SqliteError({ message: `cannot open SQLite database ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, path, cause })
    }),
    (db) =>
      Effect.sync(() => {
        try {
          if (db.inTransaction) db.exec("ROLLBACK")
          if (!db.readonly) db.pragma("wal_checkpoint(TRUNCATE)")
        } catch {
          // closing matters more than the checkpoint; SQLite recovers the WAL on next open
        }
        db.close()
      })
  )

/** The product (and test) layer: better-sqlite3 files. Tests pass temp paths. */
export const SqliteLive = {
  layer: Layer.succeed(Sqlite, { open, openVectorSink })
}

/** Runs a synchronous database step, mapping a throw to SqliteError. */
export const sqliteTry = <A>(path: string, what: string, f: () => A): Effect.Effect<A, SqliteError> =>
  Effect.try({
    try: f,
    catch: (cause) => new SqliteError({ message: `${what} (${path}): ${cause instanceof Error ? cause.message : String(cause)}`, path, cause })
  })
