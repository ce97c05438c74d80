/**
 * Ctrl-C and SIGTERM for long-running commands: the first one completes `stop` (the command winds
 * down in order: interrupts stages, closes a server) after printing `firstMessage`; a second one
 * exits at once with 130. The handlers are removed when the scope closes.
 */
import { Deferred, Effect, type Scope } from "effect"

export const stopOnSignals = (
  stop: Deferred.Deferred<void>,
  firstMessage: (signal: NodeJS.Signals) => string
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      let signals = 0
      const handler = (signal: NodeJS.Signals) => {
        signals += 1
        if (signals > 1) {
          process.stderr.write(`\n${signal} again: exiting now.\n`)
          process.exit(130)
        }
        process.stderr.write(`\n${firstMessage(signal)}\n`)
        Effect.runFork(Deferred.succeed(stop, undefined))
      }
      process.on("SIGINT", handler)
      process.on("SIGTERM", handler)
      return handler
    }),
    (handler) =>
      Effect.sync(() => {
        process.off("SIGINT", handler)
        process.off("SIGTERM", handler)
      })
  ).pipe(Effect.asVoid)
