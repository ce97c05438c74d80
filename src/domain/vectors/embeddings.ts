/**
 * Embeddings: one L2-normalised float32 vector of `dim` per profile, in two modes.
 *
 * `attributes` (default): the vector is a weighted sum of attribute directions plus small seeded
 * noise, normalised. With unit field vectors f_X and weights w (summing to 1),
 *   e = Σ_X √w_X · f_X + noise,  so  cos(e_a, e_b) ≈ Σ_X w_X · cos(f_X(a), f_X(b)).
 * - platforms, games, play styles: f = Σ_{item ∈ set} dir(item) / √|set|, whose cosine is the set
 *   overlap |A∩B| / √(|A||B|) (Ochiai, which orders pairs like the score's Jaccard);
 * - availability and interaction: f = Σ_k U[value][k] · dir(basis k) with U the Gram factor of the
 *   seed's similarity table, so their cosine is exactly the score's table entry.
 * The weights default to the match score's (platforms .45, availability .35, games .10, styles .05,
 * interaction .05), so cosine similarity ranks candidates roughly as the score does and ANN search
 * finds pairs that pass its gates. Noise (norm ≈ `noise`, seeded per profile id) only breaks ties
 * between profiles with identical attributes.
 *
 * `seed-random`: the seed's behaviour (seed-spec §3.1) made reproducible — a unit vector in the
 * positive orthant from uniform draws seeded by a stable hash of `name + description[:10]` (and the
 * pipeline seed). It carries no profile semantics; equal seed strings give identical vectors, as in
 * the seed. It exists for comparison.
 *
 * Both modes are pure functions of (chunk contents, dim, seed): a profile's vector depends on its own
 * row and id only, not on the chunking.
 */
import type { ProfileCodes } from "../profile/chunk.js"
import { AVAILABILITIES, GAME_WORDS, GAMES, INTERACTIONS, PLATFORMS, PLAY_STYLES } from "../profile/vocabulary.js"
import { forKey } from "../random/seeding.js"
import { AVAILABILITY_SIMILARITY, gramFactor, INTERACTION_SIMILARITY } from "./similarity-tables.js"
import { buildDirections } from "./token-directions.js"

export type EmbeddingMode = "attributes" | "seed-random"
export const EMBEDDING_MODES: ReadonlyArray<EmbeddingMode> = ["attributes", "seed-random"]
export const DEFAULT_EMBEDDING_DIM = 128
/** Smallest and largest dimension accepted. */
export const EMBEDDING_DIM_RANGE = { min: 8, max: 4096 } as const

export interface AttributeWeights {
  readonly platforms: number
  readonly availability: number
  readonly games: number
  readonly playStyles: number
  readonly interaction: number
}

/** The match score's weights (seed-spec §6.1). */
export const DEFAULT_ATTRIBUTE_WEIGHTS: AttributeWeights = {
  platforms: 0.45,
  availability: 0.35,
  games: 0.1,
  playStyles: 0.05,
  interaction: 0.05
}

export interface EmbeddingOptions {
  readonly weights?: AttributeWeights
  /** Expected norm of the noise added before normalisation (signal norm ≈ 1). Default 0.1. */
  readonly noise?: number
}

export const DEFAULT_EMBEDDING_NOISE = 0.1

const NOISE_STREAM = 0xe4b
const SEED_RANDOM_STREAM = 0x5eed

/** Precomputed per (dim, weights): everything but the per-profile sums. */
interface AttributeTables {
  /** Weighted platform field vector for every platform bitmask (256 × dim). */
  readonly platformSets: Float64Array
  /** Weighted availability + interaction field vectors for every (availability, interaction). */
  readonly availabilityInteraction: Float64Array
  /** Unit directions of games and styles. */
  readonly games: Float64Array
  readonly styles: Float64Array
  /** √w_games / √k and √w_styles / √k for k = 0..5 items. */
  readonly gameScale: Float64Array
  readonly styleScale: Float64Array
}

const tableCache = new Map<string, AttributeTables>()

const buildTables = (dim: number, w: AttributeWeights): AttributeTables => {
  const aN = AVAILABILITIES.length
  const iN = INTERACTIONS.length
  const tokens = [
    ...PLATFORMS.map((p) => `platform:${p}`),
    ...Array.from({ length: aN }, (_, k) => `availability-basis:${k}`),
    ...Array.from({ length: iN }, (_, k) => `interaction-basis:${k}`),
    ...PLAY_STYLES.map((s) => `style:${s}`),
    ...GAMES.map((g) => `game:${g}`)
  ]
  const { rows } = buildDirections(tokens, dim)
  const row = (t: number) => rows.subarray(t * dim, (t + 1) * dim)
  const pN = PLATFORMS.length
  const platformSets = new Float64Array((1 << pN) * dim)
  for (let mask = 1; mask < 1 << pN; mask++) {
    let k = 0
    for (let p = 0; p < pN; p++) if ((mask >>> p) & 1) k++
    const scale = Math.sqrt(w.platforms / k)
    for (let p = 0; p < pN; p++) {
      if (((mask >>> p) & 1) === 0) continue
      const d = row(p)
      for (let j = 0; j < dim; j++) platformSets[mask * dim + j]! += scale * d[j]!
    }
  }
  const ua = gramFactor(AVAILABILITY_SIMILARITY)
  const ui = gramFactor(INTERACTION_SIMILARITY)
  const availabilityInteraction = new Float64Array(aN * iN * dim)
  for (let a = 0; a < aN; a++) {
    for (let i = 0; i < iN; i++) {
      const o = (a * iN + i) * dim
      for (let k = 0; k < aN; k++) {
        const c = Math.sqrt(w.availability) * ua[a]![k]!
        const d = row(pN + k)
        for (let j = 0; j < dim; j++) availabilityInteraction[o + j]! += c * d[j]!
      }
      for (let k = 0; k < iN; k++) {
        const c = Math.sqrt(w.interaction) * ui[i]![k]!
        const d = row(pN + aN + k)
        for (let j = 0; j < dim; j++) availabilityInteraction[o + j]! += c * d[j]!
      }
    }
  }
  const styleStart = pN + aN + iN
  const gameStart = styleStart + PLAY_STYLES.length
  const scales = (weight: number) => Float64Array.from({ length: 33 }, (_, k) => (k === 0 ? 0 : Math.sqrt(weight / k)))
  return {
    platformSets,
    availabilityInteraction,
    styles: rows.slice(styleStart * dim, gameStart * dim),
    games: rows.slice(gameStart * dim, (gameStart + GAMES.length) * dim),
    gameScale: scales(w.games),
    styleScale: scales(w.playStyles)
  }
}

const tablesFor = (dim: number, w: AttributeWeights): AttributeTables => {
  const key = `${dim}|${w.platforms}|${w.availability}|${w.games}|${w.playStyles}|${w.interaction}`
  let t = tableCache.get(key)
  if (t === undefined) {
    t = buildTables(dim, w)
    tableCache.set(key, t)
  }
  return t
}

const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

/** Adds scale × row `code` of `dirs` for every set bit of `word` (codes base + bit). */
const addBits = (acc: Float64Array, dirs: Float64Array, word: number, base: number, scale: number, dim: number) => {
  let bits = word >>> 0
  while (bits !== 0) {
    const code = base + 31 - Math.clz32(bits & -bits)
    bits = (bits & (bits - 1)) >>> 0
    const o = code * dim
    for (let j = 0; j < dim; j++) acc[j]! += scale * dirs[o + j]!
  }
}

const writeNormalised = (acc: Float64Array, out: Float32Array, offset: number, dim: number): void => {
  let s = 0
  for (let j = 0; j < dim; j++) s += acc[j]! * acc[j]!
  const inv = 1 / Math.sqrt(s)
  for (let j = 0; j < dim; j++) out[offset + j] = acc[j]! * inv
}

const attributesInto = (chunk: ProfileCodes, dim: number, seed: number, out: Float32Array, o: EmbeddingOptions) => {
  const t = tablesFor(dim, o.weights ?? DEFAULT_ATTRIBUTE_WEIGHTS)
  const amplitude = (o.noise ?? DEFAULT_EMBEDDING_NOISE) * Math.sqrt(3 / dim) // uniform [-a, a): E|n|² = dim a²/3
  const acc = new Float64Array(dim)
  const iN = INTERACTIONS.length
  for (let i = 0; i < chunk.count; i++) {
    const ps = (chunk.platforms[i] as number) * dim
    const ai = ((chunk.availability[i] as number) * iN + (chunk.interaction[i] as number)) * dim
    for (let j = 0; j < dim; j++) acc[j] = t.platformSets[ps + j]! + t.availabilityInteraction[ai + j]!
    let games = 0
    for (let w = 0; w < GAME_WORDS; w++) games += popcount(chunk.games[i * GAME_WORDS + w] as number)
    const gs = t.gameScale[games]!
    for (let w = 0; w < GAME_WORDS; w++) addBits(acc, t.games, chunk.games[i * GAME_WORDS + w] as number, w * 32, gs, dim)
    const styles = chunk.playStyles[i] as number
    addBits(acc, t.styles, styles, 0, t.styleScale[popcount(styles)]!, dim)
    if (amplitude > 0) {
      const id = chunk.firstId + i
      const rng = forKey(seed, id % 4294967296, Math.floor(id / 4294967296), NOISE_STREAM)
      rng.addUniform(acc, 0, dim, -amplitude, 2 * amplitude)
    }
    writeNormalised(acc, out, i * dim, dim)
  }
}

const seedRandomInto = (chunk: ProfileCodes, dim: number, seed: number, out: Float32Array) => {
  const acc = new Float64Array(dim)
  for (let i = 0; i < chunk.count; i++) {
    const rng = forKey(seed, chunk.textKey[2 * i] as number, chunk.textKey[2 * i + 1] as number, SEED_RANDOM_STREAM)
    acc.fill(0)
    rng.addUniform(acc, 0, dim, 0, 1)
    writeNormalised(acc, out, i * dim, dim)
  }
}

/**
 * Writes chunk.count embeddings of `dim` float32, rows contiguous, into `out` from position 0.
 * `options` tune the `attributes` mode (weights, noise); `seed-random` ignores them.
 */
export const embeddingsInto = (
  chunk: ProfileCodes,
  dim: number,
  mode: EmbeddingMode,
  seed: number,
  out: Float32Array,
  options: EmbeddingOptions = {}
): void => {
  if (!Number.isInteger(dim) || dim < EMBEDDING_DIM_RANGE.min || dim > EMBEDDING_DIM_RANGE.max) {
    throw new RangeError(`embedding dim must be an integer in ${EMBEDDING_DIM_RANGE.min}..${EMBEDDING_DIM_RANGE.max}, got ${dim}`)
  }
  if (out.length < chunk.count * dim) {
    throw new RangeError(`embeddings need ${chunk.count * dim} floats, the output holds ${out.length}`)
  }
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`)
  if (mode === "attributes") {
    const noise = options.noise ?? DEFAULT_EMBEDDING_NOISE
    if (!(noise >= 0) || !Number.isFinite(noise)) throw new RangeError(`noise must be finite and >= 0, got ${noise}`)
    const w = Object.values(options.weights ?? DEFAULT_ATTRIBUTE_WEIGHTS)
    if (w.some((x) => !(x >= 0) || !Number.isFinite(x)) || !(w.reduce((a, b) => a + b, 0) > 0)) {
      throw new RangeError("attribute weights must be finite, >= 0 and not all zero")
    }
    attributesInto(chunk, dim, seed, out, options)
  } else if (mode === "seed-random") {
    seedRandomInto(chunk, dim, seed, out)
  } else {
    throw new RangeError(`unknown embedding mode '${String(mode)}'; known: ${EMBEDDING_MODES.join(", ")}`)
  }
}
