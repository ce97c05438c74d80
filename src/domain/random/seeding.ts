/**
 * Seeding: turning (pipeline seed, chunk index) or (seed, key) into an SFC32 state.
 *
 * Why per chunk: a stage's chunk is its unit of parallel and distributed work. Seeding each chunk's
 * generator from (seed, chunk) alone makes every chunk a pure function of those two numbers, so the
 * output is byte-identical whichever worker, machine or order runs it.
 *
 * Each 32-bit half of the inputs goes through `fmix32` (MurmurHash3's finaliser, a bijection on
 * 32-bit words with full avalanche) into its own state word, so distinct (seed, chunk) pairs give
 * distinct states; 16 discarded outputs then mix the words together.
 */
import { Prng } from "./sfc32.js"

const TWO_32 = 4294967296

/** MurmurHash3 fmix32: a bijective 32-bit mixer with full avalanche. */
export const fmix32 = (h: number): number => {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

const checkWord = (what: string, x: number): void => {
  if (!Number.isSafeInteger(x) || x < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer, got ${x}`)
  }
}

const fromWords = (w0: number, w1: number, w2: number, w3: number, stream: number): Prng => {
  const rng = new Prng(
    fmix32((w0 ^ 0x9e3779b9) >>> 0),
    fmix32((w1 + 0x7f4a7c15 + stream) >>> 0),
    fmix32((w2 ^ 0x85ebca6b) >>> 0),
    fmix32((w3 + 0x27d4eb2f) >>> 0)
  )
  for (let i = 0; i < 16; i++) rng.nextU32()
  return rng
}

/**
 * The generator for one chunk of one stage. `stream` separates independent uses of the same
 * (seed, chunk) — e.g. profile generation (0) versus embedding noise — so they never share draws.
 */
export const forChunk = (seed: number, chunk: number, stream = 0): Prng => {
  checkWord("seed", seed)
  checkWord("chunk", chunk)
  return fromWords(seed % TWO_32, Math.floor(seed / TWO_32), chunk % TWO_32, Math.floor(chunk / TWO_32), stream >>> 0)
}

/**
 * A generator keyed by two 32-bit words (e.g. a string's two hashes, or a profile id), mixed with the
 * seed. Used where a value must depend on one record only, not on how records were chunked.
 */
export const forKey = (seed: number, keyLo: number, keyHi: number, stream = 0): Prng => {
  checkWord("seed", seed)
  return fromWords(
    ((seed % TWO_32) ^ keyLo) >>> 0,
    Math.floor(seed / TWO_32),
    (keyLo + 0x165667b1) >>> 0,
    keyHi >>> 0,
    (stream + 0x5bd1e995) >>> 0
  )
}

/**
 * A seeded source of uniform floats in [0, 1), as a plain function: for test data, benchmarks and
 * sampling, so every seeded random number in the project comes from the same generator.
 */
export const uniformSource = (seed: number): (() => number) => {
  const random = forChunk(seed, 0)
  return () => random.float()
}
