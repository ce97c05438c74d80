/**
 * The seed's availability and interaction similarity tables (seed-spec §6.2, the matrices over the
 * V3 values in AVAILABILITIES / INTERACTIONS order), and their Gram factorisation.
 *
 * Why here: `attributes` embeddings give each availability a vector whose inner products equal this
 * table, so cosine similarity follows the match score's availability term, not mere equality
 * ("Fim de Semana (Integral)" and "(Parcial)" score 1.0 against each other). Both tables are positive
 * semi-definite, so rows U with U[a]·U[b] = M[a][b] exist; a Cholesky that skips zero pivots finds
 * them. These tables mirror the matching module's; if they ever differ, the match score is the truth.
 */
export const AVAILABILITY_SIMILARITY: ReadonlyArray<ReadonlyArray<number>> = [
  [1.0, 0.0, 0.0, 0.1, 0.2, 0.2, 0.4, 0.0],
  [0.0, 1.0, 0.0, 0.1, 0.2, 0.2, 0.4, 0.0],
  [0.0, 0.0, 1.0, 0.1, 0.2, 0.2, 0.4, 0.0],
  [0.1, 0.1, 0.1, 1.0, 0.1, 0.1, 0.1, 0.1],
  [0.2, 0.2, 0.2, 0.1, 1.0, 1.0, 0.0, 0.0],
  [0.2, 0.2, 0.2, 0.1, 1.0, 1.0, 0.0, 0.0],
  [0.4, 0.4, 0.4, 0.1, 0.0, 0.0, 1.0, 0.0],
  [0.0, 0.0, 0.0, 0.1, 0.0, 0.0, 0.0, 1.0]
]

export const INTERACTION_SIMILARITY: ReadonlyArray<ReadonlyArray<number>> = [
  [1.0, 0.9, 0.1, 0.5, 0.2],
  [0.9, 1.0, 0.1, 0.5, 0.2],
  [0.1, 0.1, 1.0, 0.5, 0.2],
  [0.5, 0.5, 0.5, 1.0, 0.5],
  [0.2, 0.2, 0.2, 0.5, 1.0]
]

/**
 * Lower-triangular L with L Lᵀ = M for a symmetric positive semi-definite M; a (near-)zero pivot
 * zeroes its column, which is exact for PSD input. Row a of L is the coefficient vector of value a.
 */
export const gramFactor = (m: ReadonlyArray<ReadonlyArray<number>>): number[][] => {
  const n = m.length
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0))
  for (let j = 0; j < n; j++) {
    let d = m[j]![j]!
    for (let k = 0; k < j; k++) d -= l[j]![k]! ** 2
    if (d < -1e-9) throw new RangeError("similarity table is not positive semi-definite")
    const pivot = d > 1e-12 ? Math.sqrt(d) : 0
    l[j]![j] = pivot
    for (let i = j + 1; i < n; i++) {
      let s = m[i]![j]!
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!
      l[i]![j] = pivot === 0 ? 0 : s / pivot
    }
  }
  return l
}
