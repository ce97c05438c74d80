/**
 * A small, fast, seedable pseudo-random generator: Chris Doty-Humphrey's SFC32 (from PractRand).
 *
 * Why SFC32: 128 bits of state held in four int32 fields, a handful of integer ops per output, no
 * BigInt, and it passes PractRand/BigCrush; it is much faster in V8 than `Math.random()`-free
 * alternatives built on BigInt (xoshiro256, PCG64). Its 32-bit counter `d` guarantees a period of at
 * least 2^32 from any state. Outputs are pure functions of the state, so equal seeds give equal
 * streams on every machine (all arithmetic is exact int32 or IEEE-754 double).
 *
 * Construct through `forChunk` / `forKey` (./seeding.ts), never from raw words in domain code.
 */
export class Prng {
  /**
   * State words a, b, c, d. An Int32Array rather than four fields: V8 stores int32 values outside
   * the small-integer range as boxed numbers in fields, which made every draw allocate (measured
   * 8 ns per draw with fields, ~2 ns with the typed array).
   */
  private readonly s = new Int32Array(4)
  /** Spare Gaussian from the last Box-Muller pair (NaN when empty). */
  private spare = Number.NaN

  constructor(a: number, b: number, c: number, d: number) {
    this.s[0] = a
    this.s[1] = b
    this.s[2] = c
    this.s[3] = d
  }

  /** Next raw output, an unsigned 32-bit integer. */
  nextU32(): number {
    const s = this.s
    const a = s[0] as number
    const b = s[1] as number
    const c = s[2] as number
    const d = s[3] as number
    const t = (((a + b) | 0) + d) | 0
    s[3] = d + 1
    s[0] = b ^ (b >>> 9)
    s[1] = c + (c << 3)
    s[2] = ((c << 21) | (c >>> 11)) + t
    return t >>> 0
  }

  /**
   * Adds `offset + scale * u` (u uniform in [0, 1), as `float()`) to target[start..end), in order.
   * Consumes one raw output per element, like `float()`, but keeps the state in locals, which is
   * several times faster for the long runs embeddings draw.
   */
  addUniform(target: Float64Array, start: number, end: number, offset: number, scale: number): void {
    const s = this.s
    let a = s[0] as number
    let b = s[1] as number
    let c = s[2] as number
    let d = s[3] as number
    const k = scale / 4294967296
    for (let i = start; i < end; i++) {
      const t = (((a + b) | 0) + d) | 0
      d = (d + 1) | 0
      a = b ^ (b >>> 9)
      b = (c + (c << 3)) | 0
      c = (((c << 21) | (c >>> 11)) + t) | 0
      target[i] = (target[i] as number) + (offset + (t >>> 0) * k)
    }
    s[0] = a
    s[1] = b
    s[2] = c
    s[3] = d
  }

  /** Uniform double in [0, 1) with 32 bits of resolution (plenty for sampling from lists). */
  float(): number {
    return this.nextU32() / 4294967296
  }

  /**
   * Uniform integer in [0, n) for 1 <= n <= 2^21, by the multiply-shift method: exact in doubles
   * (u32 * n < 2^53) and biased by at most n / 2^32, which is far below anything our tests or
   * statistics can see.
   */
  below(n: number): number {
    return Math.floor((this.nextU32() * n) / 4294967296)
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1)
  }

  /** True with probability p. */
  bool(p: number): boolean {
    return this.float() < p
  }

  /** A uniformly chosen element of a non-empty list. */
  pick<A>(items: ReadonlyArray<A>): A {
    return items[this.below(items.length)] as A
  }

  /**
   * Index drawn with probability proportional to weights, given as a cumulative table
   * (`cumulativeWeights`), so the per-draw cost is one float and a short scan.
   */
  weightedIndex(cumulative: Float64Array): number {
    const last = cumulative.length - 1
    const x = this.float() * (cumulative[last] as number)
    for (let i = 0; i < last; i++) {
      if (x < (cumulative[i] as number)) return i
    }
    return last
  }

  /**
   * k distinct indices from [0, n), in draw order (so element 0 is a uniform pick and the set is a
   * uniform k-subset). Rejection is cheap while k is small next to n, which is our case (at most 5
   * of 115 games, 3 of 8 platforms); for k > n/2 a partial Fisher-Yates would be better.
   */
  sampleDistinct(n: number, k: number): number[] {
    if (k > n) throw new RangeError(`cannot sample ${k} distinct items from ${n}`)
    const out: number[] = []
    while (out.length < k) {
      const x = this.below(n)
      if (!out.includes(x)) out.push(x)
    }
    return out
  }

  /** Standard normal (mean 0, sd 1) by Box-Muller, caching the second value of each pair. */
  normal(): number {
    const s = this.spare
    if (s === s) {
      this.spare = Number.NaN
      return s
    }
    const u = 1 - this.float() // (0, 1]: log is finite
    const v = this.float()
    const r = Math.sqrt(-2 * Math.log(u))
    const theta = 2 * Math.PI * v
    this.spare = r * Math.sin(theta)
    return r * Math.cos(theta)
  }
}

/** Running sums of weights, for `Prng.weightedIndex`. Throws on negative or all-zero weights. */
export const cumulativeWeights = (weights: ReadonlyArray<number>): Float64Array => {
  const out = new Float64Array(weights.length)
  let sum = 0
  weights.forEach((w, i) => {
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight ${i} is ${w}; weights must be finite and >= 0`)
    sum += w
    out[i] = sum
  })
  if (!(sum > 0)) throw new RangeError("weights must not all be zero")
  return out
}
