/**
 * Availability similarity, the seed's `availability_similarity` (seed-spec §6.2). Each value is
 * reduced to a bucket by the first keyword it contains, and the score depends on the two buckets
 * only. That is what lets the compact encoding store one small code per profile and look the
 * score up in a 9 × 9 table (`AVAILABILITY_TABLE`) that is built from this very function.
 *
 * Deliberate difference: a value that is blank after trimming counts as missing (score 0). The
 * seed only treats `""`/`None` as missing, so `"  "` fell into the `outro` bucket and two blank
 * values scored 1.0 against each other, a full availability match between two unknowns.
 */

/** Bucket codes; `Missing` is 0 so a zero-filled code array means "no availability". */
export const AvailabilityBucket = {
  Missing: 0,
  Morning: 1, // manha
  Afternoon: 2, // tarde
  Night: 3, // noite
  LateNight: 4, // madrugada
  Weekend: 5, // fds
  Weekdays: 6, // semana
  Flexible: 7, // flexivel
  Other: 8 // outro
} as const
export type AvailabilityBucket = (typeof AvailabilityBucket)[keyof typeof AvailabilityBucket]

/** Number of bucket codes, the side of `AVAILABILITY_TABLE`. */
export const AVAILABILITY_BUCKETS = 9

/** The bucket of a value: the first keyword found, in the seed's order, in the lower-cased text. */
export const availabilityBucket = (value: string | null | undefined): AvailabilityBucket => {
  if (value === null || value === undefined || value.trim() === "") return AvailabilityBucket.Missing
  const text = value.toLowerCase()
  if (text.includes("manhã")) return AvailabilityBucket.Morning
  if (text.includes("tarde")) return AvailabilityBucket.Afternoon
  if (text.includes("noite")) return AvailabilityBucket.Night
  if (text.includes("madrugada")) return AvailabilityBucket.LateNight
  if (text.includes("fim de semana")) return AvailabilityBucket.Weekend
  if (text.includes("dia de semana") || text.includes("durante a semana")) return AvailabilityBucket.Weekdays
  if (text.includes("flexível") || text.includes("qualquer")) return AvailabilityBucket.Flexible
  return AvailabilityBucket.Other
}

const isPeriodOfDay = (b: AvailabilityBucket): boolean =>
  b === AvailabilityBucket.Morning || b === AvailabilityBucket.Afternoon || b === AvailabilityBucket.Night

/** The seed's rule table over two buckets, checked in the seed's order. */
export const bucketSimilarity = (a: AvailabilityBucket, b: AvailabilityBucket): number => {
  if (a === AvailabilityBucket.Missing || b === AvailabilityBucket.Missing) return 0
  if (a === b) return 1
  if (a === AvailabilityBucket.Flexible || b === AvailabilityBucket.Flexible) return 0.7
  // The seed's next two rules (both fds → 0.8, both semana → 0.6) can never fire: equal buckets
  // already returned 1.0 above. They are left out rather than kept as dead code.
  const periodWith = (other: AvailabilityBucket): boolean =>
    (isPeriodOfDay(a) && b === other) || (isPeriodOfDay(b) && a === other)
  if (periodWith(AvailabilityBucket.Weekdays)) return 0.4
  if (periodWith(AvailabilityBucket.Weekend)) return 0.2
  if (a === AvailabilityBucket.LateNight || b === AvailabilityBucket.LateNight) return 0.1
  return 0
}

/** Availability similarity of two values, in [0, 1]. */
export const availabilitySimilarity = (a: string | null | undefined, b: string | null | undefined): number =>
  bucketSimilarity(availabilityBucket(a), availabilityBucket(b))

/**
 * `bucketSimilarity` for every pair of codes, row-major (`table[a * 9 + b]`). Float64, not
 * Float32: the gate compares these values with `>=`, and float32 would move 0.7 just below a
 * user's 0.7 gate (and 0.4 just above), changing which pairs pass.
 */
export const AVAILABILITY_TABLE: Float64Array = (() => {
  const table = new Float64Array(AVAILABILITY_BUCKETS * AVAILABILITY_BUCKETS)
  for (let a = 0; a < AVAILABILITY_BUCKETS; a++) {
    for (let b = 0; b < AVAILABILITY_BUCKETS; b++) {
      table[a * AVAILABILITY_BUCKETS + b] = bucketSimilarity(a as AvailabilityBucket, b as AvailabilityBucket)
    }
  }
  return table
})()
