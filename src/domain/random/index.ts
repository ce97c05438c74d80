/** Seedable randomness for the profile world: SFC32 seeded per (seed, chunk) or per key. */
export { Prng, cumulativeWeights } from "./sfc32.js"
export { fmix32, forChunk, forKey, uniformSource } from "./seeding.js"
export { hashString } from "./string-hash.js"
