import { beforeAll, describe, expect, it } from "vitest"
import {
  AVAILABILITIES,
  GAME_WORDS,
  generateChunk,
  INTERACTIONS,
  type ProfileChunk
} from "../../../src/domain/profile/index.js"
import {
  AVAILABILITY_SIMILARITY,
  embeddingsInto,
  INTERACTION_SIMILARITY,
  type EmbeddingMode
} from "../../../src/domain/vectors/index.js"
import { gramFactor } from "../../../src/domain/vectors/similarity-tables.js"

const DIM = 128
const N = 100_000
const CHUNK = 25_000
let chunks: ProfileChunk[] = []
const matrices: Partial<Record<EmbeddingMode, Float32Array>> = {}

const embedAll = (mode: EmbeddingMode): Float32Array => {
  const m = new Float32Array(N * DIM)
  for (const c of chunks) embeddingsInto(c, DIM, mode, 42, m.subarray(c.firstId * DIM, (c.firstId + c.count) * DIM))
  return m
}

beforeAll(() => {
  chunks = Array.from({ length: N / CHUNK }, (_, k) => generateChunk(42, k, k * CHUNK, CHUNK, "pt_BR"))
  matrices.attributes = embedAll("attributes")
  matrices["seed-random"] = embedAll("seed-random")
})

const cosine = (m: Float32Array, a: number, b: number) => {
  let s = 0
  for (let j = 0; j < DIM; j++) s += m[a * DIM + j]! * m[b * DIM + j]!
  return s
}

/** Where row `id` lives. */
const at = (id: number) => ({ c: chunks[Math.floor(id / CHUNK)]!, i: id % CHUNK })

const popcount = (x: number) => {
  let n = 0
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++
  return n
}
const jaccard = (a: ReadonlyArray<number>, b: ReadonlyArray<number>) => {
  let inter = 0
  let uni = 0
  a.forEach((x, w) => {
    inter += popcount(x & b[w]!)
    uni += popcount(x | b[w]!)
  })
  return uni === 0 ? 0 : inter / uni
}

/** The match score's weighted similarity, without its gates. */
const overlap = (x: number, y: number) => {
  const p = at(x)
  const q = at(y)
  const games = (r: typeof p) => Array.from(r.c.games.subarray(r.i * GAME_WORDS, (r.i + 1) * GAME_WORDS))
  return (
    0.45 * jaccard([p.c.platforms[p.i]!], [q.c.platforms[q.i]!]) +
    0.35 * AVAILABILITY_SIMILARITY[p.c.availability[p.i]!]![q.c.availability[q.i]!]! +
    0.1 * jaccard(games(p), games(q)) +
    0.05 * jaccard([p.c.playStyles[p.i]!], [q.c.playStyles[q.i]!]) +
    0.05 * INTERACTION_SIMILARITY[p.c.interaction[p.i]!]![q.c.interaction[q.i]!]!
  )
}

const pearson = (xs: ReadonlyArray<number>, ys: ReadonlyArray<number>) => {
  const n = xs.length
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my)
    sxx += (xs[i]! - mx) ** 2
    syy += (ys[i]! - my) ** 2
  }
  return sxy / Math.sqrt(sxx * syy)
}

describe("embeddings", () => {
  it("are unit vectors within 1e-5 for all 100,000 profiles, in both modes", () => {
    for (const mode of ["attributes", "seed-random"] as const) {
      const m = matrices[mode]!
      let worst = 0
      for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs(Math.sqrt(cosine(m, i, i)) - 1))
      expect(worst, mode).toBeLessThan(1e-5)
    }
  })

  it("are byte-identical for the same (seed, chunk) and differ for another chunk", () => {
    for (const mode of ["attributes", "seed-random"] as const) {
      const again = new Float32Array(CHUNK * DIM)
      embeddingsInto(generateChunk(42, 1, CHUNK, CHUNK, "pt_BR"), DIM, mode, 42, again)
      const stored = matrices[mode]!.subarray(CHUNK * DIM, 2 * CHUNK * DIM)
      expect(Buffer.from(again.buffer).equals(Buffer.from(stored.slice().buffer)), mode).toBe(true)
      const other = new Float32Array(CHUNK * DIM)
      embeddingsInto(generateChunk(42, 2, CHUNK, CHUNK, "pt_BR"), DIM, mode, 42, other)
      expect(Buffer.from(other.buffer).equals(Buffer.from(again.buffer)), mode).toBe(false)
    }
  })

  it("attributes: cosine follows attribute overlap, unlike seed-random", () => {
    let state = 12345
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % N
    const pairs = Array.from({ length: 20_000 }, () => [next(), next()] as const).filter(([a, b]) => a !== b)
    const score = pairs.map(([a, b]) => overlap(a, b))
    const sorted = [...score].sort((a, b) => a - b)
    const q1 = sorted[Math.floor(sorted.length / 4)]!
    const q3 = sorted[Math.floor((3 * sorted.length) / 4)]!
    const gap = (m: Float32Array) => {
      const mean = (keep: (s: number) => boolean) => {
        const cs = pairs.filter((_, k) => keep(score[k]!)).map(([a, b]) => cosine(m, a, b))
        return cs.reduce((x, y) => x + y, 0) / cs.length
      }
      return mean((s) => s >= q3) - mean((s) => s <= q1)
    }
    const attrGap = gap(matrices.attributes!)
    const randomGap = gap(matrices["seed-random"]!)
    expect(attrGap).toBeGreaterThan(0.3)
    expect(attrGap).toBeGreaterThan(randomGap + 0.25)
    const cosA = pairs.map(([a, b]) => cosine(matrices.attributes!, a, b))
    const cosR = pairs.map(([a, b]) => cosine(matrices["seed-random"]!, a, b))
    expect(pearson(score, cosA)).toBeGreaterThan(0.9)
    expect(Math.abs(pearson(score, cosR))).toBeLessThan(0.05)
  })

  it("seed-random: vectors are positive-orthant and equal for equal name + description[:10]", () => {
    const m = matrices["seed-random"]!
    let negatives = 0
    for (const x of m) if (x < 0) negatives++
    expect(negatives).toBe(0)
    const byKey = new Map<string, number>()
    let twins = 0
    for (let id = 0; id < N; id++) {
      const { c, i } = at(id)
      const key = c.name[i]! + c.description[i]!.slice(0, 10)
      const seen = byKey.get(key)
      if (seen === undefined) byKey.set(key, id)
      else {
        twins++
        expect(cosine(m, seen, id)).toBeGreaterThan(1 - 1e-6)
      }
    }
    expect(twins).toBeGreaterThan(0)
  })

  it("Gram factors reproduce the similarity tables", () => {
    for (const table of [AVAILABILITY_SIMILARITY, INTERACTION_SIMILARITY]) {
      const l = gramFactor(table)
      table.forEach((row, a) =>
        row.forEach((v, b) => expect(l[a]!.reduce((s, x, k) => s + x * l[b]![k]!, 0)).toBeCloseTo(v, 9))
      )
    }
    expect(AVAILABILITY_SIMILARITY.length).toBe(AVAILABILITIES.length)
    expect(INTERACTION_SIMILARITY.length).toBe(INTERACTIONS.length)
  })

  it("rejects bad dimensions, outputs, modes and weights", () => {
    const c = generateChunk(1, 0, 0, 10, "pt_BR")
    expect(() => embeddingsInto(c, 4, "attributes", 1, new Float32Array(40))).toThrow(/dim/)
    expect(() => embeddingsInto(c, 16, "attributes", 1, new Float32Array(10))).toThrow(/output/)
    expect(() => embeddingsInto(c, 16, "other" as EmbeddingMode, 1, new Float32Array(160))).toThrow(/unknown embedding mode/)
    const zero = { platforms: 0, availability: 0, games: 0, playStyles: 0, interaction: 0 }
    expect(() => embeddingsInto(c, 16, "attributes", 1, new Float32Array(160), { weights: zero })).toThrow(/weights/)
  })

  it("works at small and odd dimensions", () => {
    const c = generateChunk(3, 0, 0, 500, "pt_BR")
    for (const dim of [8, 20, 64, 192]) {
      const out = new Float32Array(c.count * dim)
      embeddingsInto(c, dim, "attributes", 3, out)
      for (let i = 0; i < c.count; i++) {
        let s = 0
        for (let j = 0; j < dim; j++) s += out[i * dim + j]! ** 2
        expect(Math.abs(Math.sqrt(s) - 1)).toBeLessThan(1e-5)
      }
    }
  })
})
