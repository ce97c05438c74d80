/**
 * The pipelined chunk loop shared by the data stages: chunks are produced concurrently (on the
 * WorkerPool) up to `window` ahead, and consumed strictly in chunk order on the calling fiber
 * (SQLite and file writes), so producing the next chunks overlaps with writing this one. If the
 * loop fails or is interrupted, the chunks still in flight are interrupted with it.
 */
import { Effect, Fiber } from "effect"

export const orderedChunks = <A, E1, E2, R1, R2>(
  chunks: ReadonlyArray<number>,
  window: number,
  produce: (chunk: number) => Effect.Effect<A, E1, R1>,
  consume: (chunk: number, value: A) => Effect.Effect<void, E2, R2>
): Effect.Effect<void, E1 | E2, R1 | R2> =>
  Effect.gen(function* () {
    const inFlight: Array<Fiber.RuntimeFiber<A, E1>> = []
    let next = 0
    const fill = Effect.gen(function* () {
      while (next < chunks.length && inFlight.length < window) {
        inFlight.push(yield* Effect.fork(produce(chunks[next] as number)))
        next++
      }
    })
    yield* fill
    for (let i = 0; i < chunks.length; i++) {
      const fiber = inFlight.shift() as Fiber.RuntimeFiber<A, E1>
      const value = yield* Fiber.join(fiber)
      yield* fill
      yield* consume(chunks[i] as number, value)
    }
  }).pipe(Effect.scoped)
