/**
 * Vector sinks: where a vector stage's chunks go (matrix file, ids file, BLOB table; see
 * vector-sink-core.ts). Each sink is a worker thread of its own that owns the SQLite connection:
 * the stage's fiber only hands it chunks (the Float32Array moves, it is not copied) and waits for
 * the commit. Measured on the 2-core machine (1,000,000 profiles, full.yaml): with the writes on the
 * main thread, the three vector stages running together were limited by that one thread (SQLite
 * inserts, commits and matrix writes took ~25 s of it) while the worker pool idled 75 % of the time.
 *
 * `write` resolves once the chunk is committed; requests are answered in order. When the scope
 * closes the thread rolls back anything uncommitted, checkpoints the WAL, closes its files and
 * exits; if it has died, the pending requests fail with a SqliteError.
 */
import { Worker } from "node:worker_threads"
import { Deferred, Effect, Either, Schema, type Scope } from "effect"
import { builtScriptPath } from "../workers/worker-script.js"
import { SqliteError } from "./errors.js"
import type { VectorChunk, VectorSinkSpec } from "./vector-sink-core.js"
import { SinkReply, type SinkRequest } from "./vector-sink-messages.js"

export type { VectorChunk, VectorSinkSpec } from "./vector-sink-core.js"

export interface VectorSink {
  /** Writes and commits one chunk; succeeds with its digest. */
  readonly write: (chunk: VectorChunk) => Effect.Effect<string, SqliteError>
  /** Flushes the matrix and ids files and turns the table to WAL mode (once every chunk is written). */
  readonly finish: Effect.Effect<void, SqliteError>
}

const decodeReply = Schema.decodeUnknownEither(SinkReply)

/** Opens a sink thread for `spec`; it closes with the scope. */
export const openVectorSink = (spec: VectorSinkSpec): Effect.Effect<VectorSink, SqliteError, Scope.Scope> =>
  Effect.gen(function* () {
    const failure = (message: string, cause?: unknown) => new SqliteError({ message: `${message} (${spec.dbPath})`, path: spec.dbPath, cause })
    const script = builtScriptPath("layers", "sqlite", "vector-sink-thread.js")
    if ("error" in script) return yield* failure(script.error)
    const pending: Array<Deferred.Deferred<string | null, SqliteError>> = []
    let dead: SqliteError | null = null

    const worker = yield* Effect.acquireRelease(
      Effect.try({ try: () => new Worker(script.path), catch: (cause) => failure(`cannot start the vector sink thread: ${String(cause)}`, cause) }),
      (worker) =>
        Effect.gen(function* () {
          if (dead === null) {
            const closed = yield* Deferred.make<string | null, SqliteError>()
            pending.push(closed)
            worker.postMessage({ _tag: "Close" } satisfies SinkRequest)
            yield* Deferred.await(closed).pipe(Effect.ignore)
          }
          yield* Effect.promise(() => worker.terminate())
        })
    )

    const settleAll = (error: SqliteError): void => {
      dead = error
      for (const d of pending.splice(0)) Deferred.unsafeDone(d, Effect.fail(error))
    }
    worker.on("message", (raw: unknown) => {
      const head = pending.shift()
      if (head === undefined) return
      const reply = decodeReply(raw)
      if (Either.isLeft(reply)) Deferred.unsafeDone(head, Effect.fail(failure(`undecodable reply from the sink thread: ${reply.left.message}`)))
      else if (reply.right._tag === "Failed") Deferred.unsafeDone(head, Effect.fail(failure(reply.right.message)))
      else Deferred.unsafeDone(head, Effect.succeed(reply.right.digest))
    })
    worker.on("error", (error) => settleAll(failure(`the vector sink thread failed: ${error.message}`, error)))
    worker.on("exit", (code) => settleAll(failure(`the vector sink thread exited with code ${code}`)))

    const request = (message: SinkRequest, transfer: ReadonlyArray<ArrayBuffer> = []) =>
      Effect.gen(function* () {
        if (dead !== null) return yield* dead
        const reply = yield* Deferred.make<string | null, SqliteError>()
        pending.push(reply)
        worker.postMessage(message, [...transfer])
        return yield* Deferred.await(reply)
      })

    yield* request({ _tag: "Open", spec })
    return {
      write: (chunk) =>
        request({ _tag: "Write", ...chunk }, [chunk.values.buffer as ArrayBuffer]).pipe(
          Effect.flatMap((digest) => (digest === null ? Effect.fail(failure(`chunk ${chunk.chunk}: the sink returned no digest`)) : Effect.succeed(digest)))
        ),
      finish: Effect.asVoid(request({ _tag: "Finish" }))
    } satisfies VectorSink
  })
