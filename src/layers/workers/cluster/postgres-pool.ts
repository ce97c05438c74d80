/**
 * The product's cluster pool: the driver's WorkerPool on the PostgreSQL-backed engine (engine.ts),
 * pruning each chunk's rows once answered; sends the engine cannot take are retried with backoff
 * for `storageTimeout`, and tasks in flight fail once PostgreSQL has been unreachable that long. Loaded on demand by `layers.workers` (shipped.ts) so
 * that pipelines on the threads pool never load the cluster engine.
 */
import type { SqlClient } from "@effect/sql"
import { type Duration, Effect, Layer } from "effect"
import { WorkerPoolError } from "../errors.js"
import type { WorkerPool } from "../service.js"
import { clusterPoolLayer } from "./cluster-pool.js"
import { driverEngineLayer, storageLost } from "./engine.js"

/** Options of the driver's pool. */
export interface PostgresPoolOptions {
  /** PostgreSQL URL of the engine's storage, shared with the runners. */
  readonly storage: string
  /** Chunk tasks in flight. */
  readonly size: number
  /** How long to wait for a registered runner before failing. */
  readonly waitForRunners: Duration.DurationInput
  /** How long PostgreSQL may be unreachable mid-run (sends retried with backoff) before tasks fail. */
  readonly storageTimeout: Duration.DurationInput
}

/** The driver's WorkerPool: sends every task to the runners registered at `storage`. */
export const postgresPoolLayer = (options: PostgresPoolOptions): Layer.Layer<WorkerPool, WorkerPoolError> =>
  Layer.unwrapEffect(
    Effect.map(Effect.context<SqlClient.SqlClient>(), (context) =>
      clusterPoolLayer({
        size: options.size,
        prune: true,
        retryFor: options.storageTimeout,
        lost: Effect.provide(storageLost(options.storage, options.storageTimeout), context)
      })
    )
  ).pipe(
    Layer.provide(driverEngineLayer(options.storage, { waitForRunners: options.waitForRunners })),
    Layer.mapError((error) => (error instanceof WorkerPoolError ? error : new WorkerPoolError({ message: error.message, cause: error })))
  )
