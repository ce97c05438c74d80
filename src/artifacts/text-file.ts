/**
 * Reading the small text files artifacts keep beside their bulk data (metrics, evaluations,
 * summaries, templates): as text, or as JSON decoded by the Schema that describes it, so a reader
 * never trusts a file's shape.
 */
import { readFile } from "node:fs/promises"
import { Effect, Schema } from "effect"
import { StageError } from "../runtime/errors.js"

/** A file's text (UTF-8). `what` names it in errors ("match evaluation"). */
export const readTextFile = (path: string, what: string): Effect.Effect<string, StageError> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (cause) => StageError.fatal(`cannot read ${what} ${path}: ${String(cause)}`, cause)
  })

/** A JSON file decoded with `schema`; a file of another shape fails naming `what`. */
export const readJsonFile = <A, I>(path: string, schema: Schema.Schema<A, I>, what: string): Effect.Effect<A, StageError> =>
  Effect.flatMap(readTextFile(path, what), (text) =>
    Schema.decodeUnknown(Schema.parseJson(schema))(text).pipe(
      Effect.mapError((e) => StageError.fatal(`${path} is not a ${what}: ${e.message}`, e))
    )
  )
