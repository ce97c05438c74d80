/**
 * Fixed pseudo-random directions for attribute tokens ("platform:PC", "game:Hades", …), one set per
 * embedding dimension, built once and cached.
 *
 * Each token's direction comes from a stable hash of its text (so it is the same in every process
 * and never depends on the pipeline seed or on list positions) seeding Gaussian draws. Directions are
 * then orthonormalised by Gram-Schmidt in priority order — platforms, availability basis, interaction
 * basis, play styles, games — as long as the dimension allows; later tokens stay merely normalised
 * random (nearly orthogonal in high dimension). Orthogonality removes cross-talk between the tokens
 * that matter most to the match score.
 */
import { forKey } from "../random/seeding.js"
import { hashString } from "../random/string-hash.js"

/** The token set of one dimension: direction rows (tokens × dim), addressed by token index. */
export interface TokenDirections {
  readonly dim: number
  readonly tokens: ReadonlyArray<string>
  readonly rows: Float64Array
}

const DIRECTION_STREAM = 0x70b3

const randomDirection = (token: string, dim: number): Float64Array => {
  const rng = forKey(0, hashString(token, 0x1b873593), hashString(token, 0x5bd1e995), DIRECTION_STREAM)
  const v = new Float64Array(dim)
  for (let j = 0; j < dim; j++) v[j] = rng.normal()
  return v
}

const normalise = (v: Float64Array): void => {
  let s = 0
  for (let j = 0; j < v.length; j++) s += (v[j] as number) ** 2
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0
  for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) * inv
}

/** Unit directions for `tokens` in `dim` dimensions, orthonormal for the first min(dim, n). */
export const buildDirections = (tokens: ReadonlyArray<string>, dim: number): TokenDirections => {
  const rows = new Float64Array(tokens.length * dim)
  tokens.forEach((token, t) => {
    const v = randomDirection(token, dim)
    if (t < dim) {
      // Two passes of modified Gram-Schmidt keep orthogonality to ~1e-15.
      for (let pass = 0; pass < 2; pass++) {
        for (let u = 0; u < t; u++) {
          let dot = 0
          for (let j = 0; j < dim; j++) dot += (v[j] as number) * (rows[u * dim + j] as number)
          for (let j = 0; j < dim; j++) v[j] = (v[j] as number) - dot * (rows[u * dim + j] as number)
        }
      }
    }
    normalise(v)
    rows.set(v, t * dim)
  })
  return { dim, tokens, rows }
}
