/**
 * The cluster engine's processes over PostgreSQL: the driver (a client-only `Sharding`: it sends
 * chunk messages and takes no shards) and a runner (hosts the ChunkTask entity for the shards it
 * holds, and answers over a socket). Both keep their messages, replies, runner registry and shard
 * locks in one PostgreSQL database (`@effect/cluster`'s SQL storage through `@effect/sql-pg`).
 *
 * Every process must agree on the sharding settings, so they are fixed here (`ENGINE_SETTINGS`) and
 * passed explicitly, never read from the environment: the engine's own `layerFromEnv` reads plain
 * `HOST`, `PORT`, ... variables, so a stray `PORT=3000` would otherwise move a runner.
 *
 * Why these values, not the engine's defaults (measured; docs/cluster.md has the figures):
 * - `shardLockExpiration` 10 s (default 35 s): how long the shards of a SIGKILLed runner stay
 *   orphaned before a live runner takes them and its in-flight chunks run again; the default made a
 *   killed runner cost ~28 s, 10 s costs ~10-13 s. Lower risks a live but busy runner losing its
 *   shards, so a runner keeps CPU work off its event loop (chunk-runner.ts).
 * - `entityMessagePollInterval` 1 s (default 10 s): a message stored while no runner was told of
 *   it (a driver that sent before it had read the runner list) waits for this poll.
 * - `refreshAssignmentsInterval` 1 s (default 3 s): how soon a new or dead runner is noticed.
 */
import { RunnerHealth, Runners, type Sharding, ShardingConfig, SocketRunner, SqlMessageStorage, SqlRunnerStorage } from "@effect/cluster"
import type { MessageStorage } from "@effect/cluster/MessageStorage"
import { RunnerAddress } from "@effect/cluster/RunnerAddress"
import { NodeClusterSocket } from "@effect/platform-node"
import { RpcSerialization } from "@effect/rpc"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Data, Duration, Effect, Layer, Option, Redacted, Schedule } from "effect"
import { framedMsgPack } from "./framed-msgpack.js"
import { redactUrl, storageUrlProblem } from "./storage-url.js"

/**
 * `pg` 8.23 deprecates queueing a query on a busy client, which `@effect/sql-pg` 0.53 does on its
 * reserved connections: harmless (pg 8 keeps the queue; the lockfile keeps pg below 9), but every
 * process would print the notice once. Only that notice is dropped; every other warning shows.
 */
const quietPgQueueDeprecation = (): void => {
  const original = process.emitWarning.bind(process) as (...args: ReadonlyArray<unknown>) => void
  const filtered = (warning: unknown, ...rest: ReadonlyArray<unknown>): void => {
    const text = typeof warning === "string" ? warning : warning instanceof Error ? warning.message : ""
    if (text.startsWith("Calling client.query() when the client is already executing a query")) return
    original(warning, ...rest)
  }
  process.emitWarning = filtered as typeof process.emitWarning
}
quietPgQueueDeprecation()

/** The engine could not reach or use its PostgreSQL storage. The message never holds the password. */
export class ClusterStorageError extends Data.TaggedError("ClusterStorageError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

/** The sharding settings every process of one deployment uses (the module comment says why). */
export const ENGINE_SETTINGS = {
  shardsPerGroup: 300,
  shardLockExpiration: Duration.seconds(10),
  shardLockRefreshInterval: Duration.seconds(3),
  entityMessagePollInterval: Duration.seconds(1),
  refreshAssignmentsInterval: Duration.seconds(1),
  entityReplyPollInterval: Duration.millis(200),
  runnerHealthCheckInterval: Duration.seconds(20)
} as const

/** Chunk messages carry whole chunks (megabytes); the engine's default frame limit is 16 MiB. */
const MAX_FRAME_BYTES = 512 * 1024 * 1024

/**
 * The PostgreSQL client, checked by one query at build time so that an unreachable or refusing
 * server is a clear error before any stage starts, not a hang in the first send.
 */
export const storageLayer = (url: string): Layer.Layer<SqlClient.SqlClient, ClusterStorageError> => {
  const problem = storageUrlProblem(url)
  if (problem !== undefined) return Layer.fail(new ClusterStorageError({ message: problem }))
  const shown = redactUrl(url)
  const client = PgClient.layer({
    url: Redacted.make(url),
    connectTimeout: Duration.seconds(10),
    applicationName: "effect-pipelines",
    // The engine's lock and poll loops hold a few connections; a driver or runner needs no more.
    maxConnections: 8
  })
  const probe = Layer.effectDiscard(
    Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT 1`).pipe(
      Effect.timeoutFail({
        duration: Duration.seconds(15),
        onTimeout: () => new ClusterStorageError({ message: `PostgreSQL at ${shown} did not answer within 15 s` })
      })
    )
  )
  return Layer.provideMerge(probe, client).pipe(
    Layer.mapError((error) =>
      error instanceof ClusterStorageError
        ? error
        : new ClusterStorageError({ message: `cannot use PostgreSQL at ${shown}: ${describeSqlError(error)}`, cause: error })
    )
  )
}

/** The innermost message of a SqlError (pg's 'connect ECONNREFUSED 127.0.0.1:5432', 'password authentication failed ...'). */
const describeSqlError = (error: { readonly message: string; readonly cause?: unknown }): string => {
  const cause = error.cause
  if (cause instanceof AggregateError && cause.errors.length > 0) {
    return cause.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join("; ")
  }
  if (cause instanceof Error && cause.message !== "") return cause.message
  return error.message
}

const shardingConfig = (runnerAddress: Option.Option<RunnerAddress>, listen: Option.Option<RunnerAddress>): Layer.Layer<ShardingConfig.ShardingConfig> =>
  // ShardingConfig.layer, not layerFromEnv: nothing comes from the environment (module comment).
  ShardingConfig.layer({ ...ENGINE_SETTINGS, runnerAddress, runnerListenAddress: listen })

/** The engine's storage tables in PostgreSQL (created by the engine's own migrations on first use). */
const engineStorage = Layer.merge(SqlMessageStorage.layer, SqlRunnerStorage.layer).pipe(
  Layer.mapError((error) => new ClusterStorageError({ message: `cannot set up the cluster's tables: ${error.message}`, cause: error }))
)

const serialization = Layer.succeed(RpcSerialization.RpcSerialization, framedMsgPack(MAX_FRAME_BYTES))

/**
 * Completes, with a message for the user, once PostgreSQL has failed every probe (one a second,
 * each given 5 s) for `after`: the engine can then neither deliver chunks nor store their replies,
 * and a task waiting for one would wait forever.
 */
export const storageLost = (url: string, after: Duration.DurationInput): Effect.Effect<string, never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const limit = Duration.toMillis(Duration.decode(after))
    let failingSince: number | undefined
    for (;;) {
      yield* Effect.sleep("1 second")
      const ok = yield* sql`SELECT 1`.pipe(Effect.timeout("5 seconds"), Effect.isSuccess)
      const now = Date.now()
      if (ok) failingSince = undefined
      else failingSince ??= now
      if (failingSince !== undefined && now - failingSince >= limit) {
        return `PostgreSQL at ${redactUrl(url)} has not answered for ${Duration.format(Duration.millis(now - failingSince))}: the cluster can neither deliver chunks nor store their results (the chunks committed so far are kept; run again to resume)`
      }
    }
  })

/** Where a runner listens and how other processes reach it. */
export interface RunnerEndpoint {
  /** The host other processes connect to (its address on their network). */
  readonly host: string
  readonly port: number
  /** The interface to listen on (default: `host`). */
  readonly listenHost?: string
}

/**
 * A runner's engine: hosts the entities registered on it for the shards it holds, listens on
 * `endpoint`, registers itself in storage and refreshes its shard locks until its scope closes
 * (then it unregisters and releases them).
 */
export const runnerEngineLayer = (
  url: string,
  endpoint: RunnerEndpoint
): Layer.Layer<Sharding.Sharding | MessageStorage, ClusterStorageError> => {
  const address = RunnerAddress.make({ host: endpoint.host, port: endpoint.port })
  const listen = endpoint.listenHost === undefined ? Option.none() : Option.some(RunnerAddress.make({ host: endpoint.listenHost, port: endpoint.port }))
  // What NodeClusterSocket.layer({ storage: "sql" }) builds, with our serialization and settings.
  const health = RunnerHealth.layerPing.pipe(Layer.provide(Runners.layerRpc), Layer.provide(NodeClusterSocket.layerClientProtocol))
  return SocketRunner.layer.pipe(
    Layer.provide([NodeClusterSocket.layerSocketServer, NodeClusterSocket.layerClientProtocol]),
    Layer.mapError((error) => new ClusterStorageError({ message: `the runner cannot listen on ${endpoint.host}:${endpoint.port}: ${error.message}`, cause: error })),
    Layer.provide(health),
    Layer.provideMerge(engineStorage),
    Layer.provide(shardingConfig(Option.some(address), listen)),
    Layer.provide(serialization),
    Layer.provide(storageLayer(url))
  )
}

/**
 * The driver's engine: a client-only Sharding (it sends, takes no shards). Built only once at least
 * one runner is registered (polled for `waitForRunners`), so that the first messages go straight to
 * a runner instead of waiting in storage for a poll, and a deployment with no runner is an error
 * that says so instead of a stage that never moves.
 */
export const driverEngineLayer = (
  url: string,
  options: { readonly waitForRunners: Duration.DurationInput }
): Layer.Layer<Sharding.Sharding | MessageStorage | SqlClient.SqlClient, ClusterStorageError> => {
  const shown = redactUrl(url)
  const engine = SocketRunner.layerClientOnly.pipe(
    Layer.provide(NodeClusterSocket.layerClientProtocol),
    Layer.provideMerge(engineStorage),
    Layer.provide(shardingConfig(Option.none(), Option.none())),
    Layer.provide(serialization)
  )
  const runnersReady = Layer.effectDiscard(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const live = sql<{ readonly n: number }>`
        SELECT count(*)::int AS n FROM cluster_runners
        WHERE healthy AND last_heartbeat > NOW() - make_interval(secs => ${Duration.toSeconds(ENGINE_SETTINGS.shardLockExpiration)})`.pipe(
        Effect.map((rows) => rows[0]?.n ?? 0),
        // Before any runner started, the table may not exist yet.
        Effect.orElseSucceed(() => 0)
      )
      const found = yield* live.pipe(
        Effect.repeat({ schedule: Schedule.spaced("250 millis"), until: (n) => n > 0 }),
        Effect.timeout(options.waitForRunners),
        Effect.option
      )
      if (Option.isNone(found)) {
        return yield* new ClusterStorageError({
          message: `no pipeline runner is registered at ${shown} (waited ${Duration.format(Duration.decode(options.waitForRunners))}): start one with 'pipeline runner --storage ${shown}'`
        })
      }
      // The client re-reads the runner list every refreshAssignmentsInterval; after one refresh it
      // knows where every shard lives.
      yield* Effect.sleep(Duration.sum(ENGINE_SETTINGS.refreshAssignmentsInterval, Duration.millis(300)))
    })
  )
  return Layer.provideMerge(runnersReady, engine).pipe(Layer.provideMerge(storageLayer(url)))
}
