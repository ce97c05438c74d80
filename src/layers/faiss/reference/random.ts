/**
 * A small seedable PRNG (mulberry32) for the reference backend, so its k-means init and
 * subsampling are reproducible from `seed` without depending on other modules.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  readonly next: () => number
  /** Uniform integer in [0, n). */
  readonly int: (n: number) => number
}

export const makeRng = (seed: number): Rng => {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, int: (n) => Math.floor(next() * n) }
}

/** The first `count` entries of a seeded random permutation of 0..n-1 (partial Fisher-Yates). */
export const samplePositions = (n: number, count: number, rng: Rng): Int32Array => {
  const perm = new Int32Array(n)
  for (let i = 0; i < n; i++) perm[i] = i
  const m = Math.min(count, n)
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i)
    const t = perm[i]!
    perm[i] = perm[j]!
    perm[j] = t
  }
  return perm.subarray(0, m)
}
