/**
 * `npm run bench profiles [-- --count N --dim D]`: one-core throughput of the profile domain's pure
 * steps — generateChunk, featuresInto, embeddingsInto (attributes, seed-random) — on N profiles
 * (default 100,000) in chunks of 25,000, after one warm-up pass. Prints profiles/s; never fails on time.
 */
import { generateChunk, type ProfileChunk } from "../src/domain/profile/index.js"
import { DEFAULT_EMBEDDING_DIM, embeddingsInto, FEATURE_DIM, featuresInto } from "../src/domain/vectors/index.js"

const option = (args: ReadonlyArray<string>, name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`)
  const v = i >= 0 ? Number(args[i + 1]) : fallback
  if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`--${name} must be a positive integer`)
  return v
}

const CHUNK = 25_000
const ROUNDS = 3

export const main = async (args: ReadonlyArray<string>): Promise<void> => {
  const count = option(args, "count", 100_000)
  const dim = option(args, "dim", DEFAULT_EMBEDDING_DIM)
  const sizes = Array.from({ length: Math.ceil(count / CHUNK) }, (_, k) => Math.min(CHUNK, count - k * CHUNK))
  const features = new Float32Array(CHUNK * FEATURE_DIM)
  const embeddings = new Float32Array(CHUNK * dim)
  let chunks: ProfileChunk[] = []

  const steps: ReadonlyArray<readonly [string, () => void]> = [
    ["generateChunk", () => (chunks = sizes.map((n, k) => generateChunk(42, k, k * CHUNK, n, "pt_BR")))],
    ["featuresInto", () => chunks.forEach((c) => featuresInto(c, features))],
    [`embeddingsInto attributes (dim ${dim})`, () => chunks.forEach((c) => embeddingsInto(c, dim, "attributes", 42, embeddings))],
    [`embeddingsInto seed-random (dim ${dim})`, () => chunks.forEach((c) => embeddingsInto(c, dim, "seed-random", 42, embeddings))]
  ]
  for (const [, run] of steps) run() // warm-up: JIT and the embedding direction tables
  console.log(`${count.toLocaleString("en")} profiles, chunks of ${CHUNK.toLocaleString("en")}, one thread, best of ${ROUNDS}`)
  let total = 0
  for (const [name, run] of steps) {
    let best = Infinity
    for (let r = 0; r < ROUNDS; r++) {
      const t = performance.now()
      run()
      best = Math.min(best, performance.now() - t)
    }
    if (!name.includes("seed-random")) total += best
    console.log(`${name.padEnd(40)} ${best.toFixed(1).padStart(8)} ms ${Math.round((count / best) * 1000).toLocaleString("en").padStart(12)} profiles/s`)
  }
  console.log(`${"generate + features + attributes".padEnd(40)} ${total.toFixed(1).padStart(8)} ms ${Math.round((count / total) * 1000).toLocaleString("en").padStart(12)} profiles/s`)
  const mem = process.memoryUsage()
  console.log(`rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`)
}
