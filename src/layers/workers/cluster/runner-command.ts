/**
 * `pipeline runner --storage URL [--host H --port P] [FILE]`: one runner of the cluster engine.
 *
 * It registers at the PostgreSQL storage, takes its share of the shards, and runs the chunk tasks
 * sent to them on its own worker threads (so its event loop stays free to refresh its shard
 * locks, which expire after ENGINE_SETTINGS.shardLockExpiration). It serves the shipped tasks, and
 * those of the user modules FILE's `kinds:` names, by name from its own install. One line per
 * chunk on stdout (`ran <task> <entity id> in <ms> ms`), so a deployment can see who did what.
 * SIGINT / SIGTERM: stops taking messages, unregisters and releases its shards (a second signal
 * exits at once); a chunk it was running is delivered again to another runner.
 */
import { availableParallelism } from "node:os"
import { Console, Deferred, Effect, Layer } from "effect"
import { parsePortFlag } from "../../../runtime/cli/args.js"
import type { ProductCommand } from "../../../runtime/cli/run-command.js"
import { loadFromArgs } from "../../../runtime/cli/load.js"
import { stopOnSignals } from "../../../runtime/cli/signals.js"
import { RunError, UsageError } from "../../../runtime/errors.js"
import { WorkerPoolThreads } from "../threads.js"
import { chunkRunnerLayer } from "./chunk-runner.js"
import { runnerEngineLayer } from "./engine.js"
import { DEFAULT_RUNNER_HOST, DEFAULT_RUNNER_PORT, runnerVerb } from "./runner-verb.js"
import { redactUrl, storageUrlProblem } from "./storage-url.js"

export const runnerCommand: ProductCommand = {
  verb: runnerVerb,
  run: (args, catalog) =>
    Effect.gen(function* () {
      const storage = args.strings.get("storage")
      if (storage === undefined) {
        return yield* new UsageError({ message: "pipeline runner needs --storage URL: the PostgreSQL URL of the cluster (the driver's layers.workers.storage)" })
      }
      const problem = storageUrlProblem(storage)
      if (problem !== undefined) return yield* new UsageError({ message: `--storage: ${problem}` })
      const host = args.strings.get("host") ?? DEFAULT_RUNNER_HOST
      const port = yield* parsePortFlag(args.strings.get("port"), DEFAULT_RUNNER_PORT, 1, " (other processes must know it: 0 is not allowed)")
      const listen = args.strings.get("listen")
      const threads = args.ints.get("threads") ?? availableParallelism()
      if (threads < 1 || threads > 256) return yield* new UsageError({ message: `--threads: expected 1 to 256, found ${threads}` })
      const file = args.positionals[0]
      const served = file === undefined ? catalog : (yield* loadFromArgs(file, args, catalog)).catalog
      const tasks = served.tasks.map((t) => ({ name: t.name, module: t.module }))
      const shown = redactUrl(storage)

      const runner = chunkRunnerLayer({
        tasks,
        onMessage: ({ entityId, task, ok, ms }) => Console.log(`${new Date().toISOString()} ${ok ? "ran" : "failed"} ${task} ${entityId} in ${ms.toFixed(0)} ms`)
      }).pipe(
        Layer.provide(WorkerPoolThreads.layer({ size: threads })),
        Layer.provide(runnerEngineLayer(storage, { host, port, ...(listen === undefined ? {} : { listenHost: listen }) }))
      )
      const stop = yield* Deferred.make<void>()
      yield* stopOnSignals(stop, (signal) => `${signal}: runner stopping, releasing its shards (send it again to exit at once).`)
      yield* Effect.scoped(
        Effect.gen(function* () {
          yield* Layer.build(runner)
          yield* Console.log(
            `runner ready at ${host}:${port} (storage ${shown}), ${threads} thread${threads === 1 ? "" : "s"}, serving ${tasks.length} tasks: ${tasks.map((t) => t.name).join(", ")}`
          )
          yield* Deferred.await(stop)
        })
      ).pipe(Effect.mapError((error) => (error instanceof UsageError ? error : new RunError({ message: `runner: ${error.message}` }))))
      yield* Console.log("runner stopped")
      return 0
    }).pipe(Effect.scoped)
}
