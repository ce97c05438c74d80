/**
 * Item vocabularies of the compact encoding: each distinct normalised item gets a small integer
 * code, its bit position in the bitsets. The seed's value lists are entered first, in source
 * order, so seed data always gives the same codes and the fewest words.
 *
 * Values outside the lists are not an error and not an approximation: they get the next free
 * code, the bitsets widen to fit, and the encoding stays exact. We chose growth over a shared
 * "other" bit (which would make two different unknown games count as the same game) and over a
 * per-pair fallback to the reference path (a branch and a second data structure in the hot loop).
 */
import { normalizeItem } from "../item-set.js"

export class ItemVocabulary {
  readonly #codes = new Map<string, number>()
  readonly #items: Array<string> = []

  /** Starts with `initial` (normalised, duplicates collapsed) at codes 0, 1, 2... */
  constructor(initial: Iterable<string> = []) {
    for (const item of initial) {
      const key = normalizeItem(item)
      if (key !== "") this.codeOfNormalized(key)
    }
  }

  /** The code of a normalised item, adding it when new. */
  codeOfNormalized(key: string): number {
    const known = this.#codes.get(key)
    if (known !== undefined) return known
    const code = this.#items.length
    this.#codes.set(key, code)
    this.#items.push(key)
    return code
  }

  get size(): number {
    return this.#items.length
  }

  /** The normalised items in code order. */
  items(): ReadonlyArray<string> {
    return this.#items.slice()
  }
}

/** 32-bit words a bitset over `size` codes needs (at least 1, so every row has a word). */
export const wordsFor = (size: number): number => Math.max(1, Math.ceil(size / 32))
