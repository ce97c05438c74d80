/**
 * Jaccard similarity |A ∩ B| / |A ∪ B| of two item sets (seed-spec §6.2).
 *
 * Two empty sets give 0, not 1: that is the seed's definition (`jaccard_similarity`, and its
 * test_03 asserts it), and it is also what the gates need, since two profiles that list no
 * platform at all share none and must not pass the platform gate.
 */
export const jaccard = (a: ReadonlySet<string>, b: ReadonlySet<string>): number => {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let intersection = 0
  for (const item of small) if (large.has(item)) intersection++
  return jaccardFromCounts(intersection, a.size, b.size)
}

/**
 * Jaccard from the intersection size and both set sizes. The reference and the compact encoding
 * both end here, so both divide the same two integers and get bit-identical results.
 */
export const jaccardFromCounts = (intersection: number, sizeA: number, sizeB: number): number => {
  const union = sizeA + sizeB - intersection
  return union === 0 ? 0 : intersection / union
}
