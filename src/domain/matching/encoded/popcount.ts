/**
 * Number of set bits in a 32-bit word (SWAR). JavaScript has no popcount instruction; this is a
 * handful of int32 operations that V8 keeps in registers, so Jaccard over bitsets costs a few
 * nanoseconds per word.
 */
export const popcount32 = (x: number): number => {
  x = x - ((x >>> 1) & 0x55555555)
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  x = (x + (x >>> 4)) & 0x0f0f0f0f
  return Math.imul(x, 0x01010101) >>> 24
}
