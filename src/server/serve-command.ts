/**
 * `pipeline serve [FILE]`: the matchmaking dashboard over the artifacts of a pipeline's latest
 * successful run (or `--run RUN`). Listens at once and loads in the background; binds to
 * 127.0.0.1:8881 unless told otherwise (`--port 0` takes any free port; the address is printed).
 * SIGINT / SIGTERM close the listener, close idle connections at once, give requests in flight
 * up to 5 s, cut whatever is still open, release the index and the SQLite handle, and exit 0.
 * Every response carries the security headers and only Hosts of this server are answered
 * (security.ts); a non-loopback `--host` is warned about; `--fail-on-error` exits 1 when the load fails.
 */
import { createServer, type Server } from "node:http"
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Console, Context, Deferred, Effect, Layer } from "effect"
import type { ProductCommand } from "../runtime/cli/run-command.js"
import { parsePortFlag } from "../runtime/cli/args.js"
import { loadFromArgs } from "../runtime/cli/load.js"
import { holdReaderLock } from "../runtime/run/output-lock.js"
import { stopOnSignals } from "../runtime/cli/signals.js"
import { RunError } from "../runtime/errors.js"
import { Dashboard, DashboardLive } from "./dashboard.js"
import { withRequestLimits } from "./limits.js"
import { loadPageAssets } from "./page.js"
import { makeRouter } from "./routes.js"
import { allowedHosts, isLoopback, withSecurity } from "./security.js"
import { DEFAULT_HOST, DEFAULT_PIPELINE, DEFAULT_PORT, serveVerb } from "./serve-verb.js"

/**
 * Node's own limits: headers (URL included) up to 16 KiB, slow clients cut off (checked every
 * 2 s rather than Node's 30 s, so a client trickling header bytes is dropped near the 10 s bound).
 */
const nodeServer = (made: Array<Server>) => () => {
  const server = createServer({
    maxHeaderSize: 16 * 1024,
    headersTimeout: 10_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: 2_000
  })
  made.push(server)
  return server
}

/** How long requests in flight may take to finish once a shutdown signal came. */
export const SHUTDOWN_GRACE_MS = 5_000

/**
 * Bounds the shutdown: idle keep-alive sockets are closed at once (Node's `close()` would wait for
 * their keep-alive timeout, and again after each request they make), and every connection still
 * open after the grace (a half-sent request, a slow reader) is cut, so one slow client cannot hold
 * the process open.
 */
const boundShutdown = (servers: ReadonlyArray<Server>) =>
  Effect.sync(() => {
    for (const server of servers) {
      server.closeIdleConnections()
      // Requests finishing during the grace leave idle sockets again; close those as they appear.
      const idle = setInterval(() => server.closeIdleConnections(), 250)
      const cut = setTimeout(() => {
        clearInterval(idle)
        server.closeAllConnections()
      }, SHUTDOWN_GRACE_MS)
      idle.unref()
      cut.unref()
      server.once("close", () => {
        clearInterval(idle)
        clearTimeout(cut)
      })
    }
  })

/** Says so on stderr when the dashboard is reachable from other machines (it has no login). */
const warnIfExposed = (host: string) =>
  isLoopback(host)
    ? Effect.void
    : Console.error(
        `warning: --host ${host} is not a loopback address${host === "0.0.0.0" || host === "::" ? " (it binds every interface)" : ""}: ` +
          "the dashboard and its API have no authentication and answer every machine that can reach it"
      )

export const serveCommand: ProductCommand = {
  verb: serveVerb,
  run: (args, catalog) =>
    Effect.scoped(
      Effect.gen(function* () {
        const { spec } = yield* loadFromArgs(args.positionals[0] ?? DEFAULT_PIPELINE, args, catalog)
        // Shared with other servers, exclusive of runs and gc: nothing deletes what is served.
        yield* holdReaderLock(spec.outputDir, "pipeline serve").pipe(
          Effect.catchTags({
            OutputDirLocked: (e) => new RunError({ message: e.message }),
            OutputLockError: (e) => new RunError({ message: e.message })
          })
        )
        const port = yield* parsePortFlag(args.strings.get("port"), DEFAULT_PORT)
        const host = args.strings.get("host") ?? DEFAULT_HOST
        const allowed = allowedHosts(host, args.lists.get("allow-host") ?? [])
        const assets = yield* loadPageAssets.pipe(Effect.mapError((e) => new RunError({ message: e.message })))
        const stop = yield* Deferred.make<void>()
        yield* stopOnSignals(stop, (signal) => `${signal}: shutting down (send it again to exit at once).`)
        const dashboard = DashboardLive({ spec, indexStage: args.strings.get("index") ?? "index", runId: args.strings.get("run") })
        const servers: Array<Server> = []
        const services = yield* Layer.build(Layer.merge(NodeHttpServer.layer(nodeServer(servers), { port, host }), dashboard)).pipe(
          Effect.mapError((e) => new RunError({ message: `cannot listen on ${host}:${port}: ${e.cause instanceof Error ? e.cause.message : String(e.cause)}` }))
        )
        // Runs before the HTTP layer's own finalizer (server.close(), which waits for every
        // connection): a scope runs its finalizers in reverse order of registration.
        yield* Effect.addFinalizer(() => boundShutdown(servers))
        yield* HttpServer.serveEffect(withSecurity(withRequestLimits(makeRouter(assets)), allowed)).pipe(Effect.provide(services))
        const address = yield* HttpServer.addressWith((a) => Effect.succeed(a)).pipe(Effect.provide(services))
        const url = address._tag === "TcpAddress" ? `http://${address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${address.port}` : address.path
        yield* Console.log(`dashboard for '${spec.name}' listening on ${url} (Ctrl-C to stop); loading the artifacts in the background`)
        yield* warnIfExposed(host)
        if (!args.booleans.has("fail-on-error")) {
          yield* Deferred.await(stop)
          return 0
        }
        // --fail-on-error: a failed load ends the command (the reason is already on stderr).
        const { settled } = Context.get(services, Dashboard)
        const failedLoad = settled.pipe(
          Effect.flatMap((s) => (s._tag === "Failed" ? Effect.succeed(1) : Effect.never))
        )
        return yield* Effect.raceFirst(Deferred.await(stop).pipe(Effect.as(0)), failedLoad)
      })
    ).pipe(
      Effect.zipLeft(Console.log("dashboard stopped")),
      // Not a failed pipeline run: say what could not start, exit 1.
      Effect.catchTag("RunError", (e) => Console.error(`pipeline serve: ${e.message}`).pipe(Effect.as(1)))
    )
}
