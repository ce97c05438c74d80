/** Errors of the Sqlite service. */
import { Data } from "effect"

/** Opening, reading or writing a SQLite file failed. */
export class SqliteError extends Data.TaggedError("SqliteError")<{
  readonly message: string
  readonly path: string
  readonly cause?: unknown
}> {}
