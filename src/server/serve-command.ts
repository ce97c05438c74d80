/**
 * `pipeline serve [FILE]`: the matchmaking dashboard over the artifacts of a pipeline's latest
 * successful run (or `--run RUN`). Listens at once and loads in the background; binds to
 * 127.0.0.1:8881 unless told otherwise (`--port 0` takes any free port; the address is printed).
 * SIGINT / SIGTERM close the listener, let requests in flight finish, release the index and the
 * SQLite handle, and exit 0.
 */
import { createServer } from "node:http"
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Console, Deferred, Effect, Layer } from "effect"
import type { ProductCommand } from "../runtime/cli/run-command.js"
import { loadFromArgs } from "../runtime/cli/load.js"
import { stopOnSignals } from "../runtime/cli/signals.js"
import { RunError, UsageError } from "../runtime/errors.js"
import { DashboardLive } from "./dashboard.js"
import { withRequestLimits } from "./limits.js"
import { loadPageAssets } from "./page.js"
import { makeRouter } from "./routes.js"
import { DEFAULT_HOST, DEFAULT_PIPELINE, DEFAULT_PORT, serveVerb } from "./serve-verb.js"

const parsePort = (text: string | undefined): Effect.Effect<number, UsageError> => {
  if (text === undefined) return Effect.succeed(DEFAULT_PORT)
  const n = Number(text)
  return Number.isInteger(n) && n >= 0 && n <= 65535 && /^\d+$/.test(text)
    ? Effect.succeed(n)
    : Effect.fail(new UsageError({ message: `--port: expected an integer from 0 to 65535, found '${text}'` }))
}

/** Node's own limits: headers (URL included) up to 16 KiB, slow clients cut off. */
const nodeServer = () =>
  createServer({ maxHeaderSize: 16 * 1024, headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 })

export const serveCommand: ProductCommand = {
  verb: serveVerb,
  run: (args, catalog) =>
    Effect.scoped(
      Effect.gen(function* () {
        const { spec } = yield* loadFromArgs(args.positionals[0] ?? DEFAULT_PIPELINE, args, catalog)
        const port = yield* parsePort(args.strings.get("port"))
        const host = args.strings.get("host") ?? DEFAULT_HOST
        const assets = yield* loadPageAssets.pipe(Effect.mapError((e) => new RunError({ message: e.message })))
        const stop = yield* Deferred.make<void>()
        yield* stopOnSignals(stop, (signal) => `${signal}: shutting down (send it again to exit at once).`)
        const dashboard = DashboardLive({ spec, indexStage: args.strings.get("index") ?? "index", runId: args.strings.get("run") })
        const services = yield* Layer.build(Layer.merge(NodeHttpServer.layer(nodeServer, { port, host }), dashboard)).pipe(
          Effect.mapError((e) => new RunError({ message: `cannot listen on ${host}:${port}: ${e.cause instanceof Error ? e.cause.message : String(e.cause)}` }))
        )
        yield* HttpServer.serveEffect(withRequestLimits(makeRouter(assets))).pipe(Effect.provide(services))
        const address = yield* HttpServer.addressWith((a) => Effect.succeed(a)).pipe(Effect.provide(services))
        const url = address._tag === "TcpAddress" ? `http://${address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${address.port}` : address.path
        yield* Console.log(`dashboard for '${spec.name}' listening on ${url} (Ctrl-C to stop); loading the artifacts in the background`)
        yield* Deferred.await(stop)
        return 0
      })
    ).pipe(
      Effect.zipLeft(Console.log("dashboard stopped")),
      // Not a failed pipeline run: say what could not start, exit 1.
      Effect.catchTag("RunError", (e) => Console.error(`pipeline serve: ${e.message}`).pipe(Effect.as(1)))
    )
}
