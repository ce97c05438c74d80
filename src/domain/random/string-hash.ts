/**
 * Stable string hashing: the same text gives the same 32-bit value in every process and on every
 * machine (unlike Python's salted `hash()`, which made the seed's embeddings irreproducible).
 * Hashes UTF-16 code units with a Murmur-style mix; `seed` lets two calls give independent hashes,
 * which together form a 64-bit key.
 */
import { fmix32 } from "./seeding.js"

export const hashString = (text: string, seed: number): number => {
  let h = (seed ^ Math.imul(text.length, 0x9e3779b1)) >>> 0
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    h ^= Math.imul(k, 0x1b873593)
    h = (h << 13) | (h >>> 19)
    h = (Math.imul(h, 5) + 0xe6546b64) | 0
  }
  return fmix32(h >>> 0)
}
