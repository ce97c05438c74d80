/**
 * One list field (platforms, games or styles) of many profiles as bitsets: row `i` occupies
 * `words` consecutive Uint32 words of `bits`, bit `c` set when the profile has the item with code
 * `c`, and `sizes[i]` is its number of distinct items. Jaccard of two rows is then
 * popcount(a & b) over the row's words, divided by sizes[a] + sizes[b] - that.
 *
 * Rows are collected as code lists first and turned into bitsets at `build`, because the row
 * width is only known once every value has been seen (unknown values widen it).
 */
import { type ItemsInput, normalizeItem } from "../item-set.js"
import { popcount32 } from "./popcount.js"
import { ItemVocabulary, wordsFor } from "./vocabulary.js"

export interface BitsetColumn {
  /** Uint32 words per row. */
  readonly words: number
  /** `rows × words` bitset words, row-major. */
  readonly bits: Uint32Array
  /** Distinct items per row. */
  readonly sizes: Uint32Array
  /** Normalised item of each code (bit position). */
  readonly vocabulary: ReadonlyArray<string>
}

/** An append-only Int32 buffer that doubles when full. */
class Int32Buffer {
  #data: Int32Array
  length = 0
  constructor(capacity: number) {
    this.#data = new Int32Array(Math.max(16, capacity))
  }
  push(value: number): void {
    if (this.length === this.#data.length) {
      const next = new Int32Array(this.#data.length * 2)
      next.set(this.#data)
      this.#data = next
    }
    this.#data[this.length++] = value
  }
  get(index: number): number {
    return this.#data[index] ?? 0
  }
}

export class SetColumnBuilder {
  readonly #vocabulary: ItemVocabulary
  readonly #codes: Int32Buffer
  /** End offset in `#codes` of each row's codes. */
  readonly #ends: Int32Buffer
  /** Code of each raw item seen (-1 when blank): rows repeat the same few strings, so one Map hit
   * replaces trim + toLowerCase + a second Map lookup for nearly every item. */
  readonly #rawCodes = new Map<string, number>()

  constructor(initial: Iterable<string>, expectedRows: number) {
    this.#vocabulary = new ItemVocabulary(initial)
    this.#codes = new Int32Buffer(expectedRows * 4)
    this.#ends = new Int32Buffer(expectedRows)
  }

  /** Appends one row; same parsing as the reference `itemSet`, duplicates collapse at build. */
  add(input: ItemsInput, delimiter = ","): void {
    if (input !== null && input !== undefined) {
      const parts = typeof input === "string" ? input.split(delimiter) : input
      for (const part of parts) {
        let code = this.#rawCodes.get(part)
        if (code === undefined) {
          const key = normalizeItem(part)
          code = key === "" ? -1 : this.#vocabulary.codeOfNormalized(key)
          this.#rawCodes.set(part, code)
        }
        if (code >= 0) this.#codes.push(code)
      }
    }
    this.#ends.push(this.#codes.length)
  }

  build(): BitsetColumn {
    const rows = this.#ends.length
    const words = wordsFor(this.#vocabulary.size)
    const bits = new Uint32Array(rows * words)
    const sizes = new Uint32Array(rows)
    let start = 0
    for (let row = 0; row < rows; row++) {
      const end = this.#ends.get(row)
      const base = row * words
      for (let k = start; k < end; k++) {
        const code = this.#codes.get(k)
        const at = base + (code >>> 5)
        bits[at] = (bits[at] ?? 0) | (1 << (code & 31))
      }
      let size = 0
      for (let w = 0; w < words; w++) size += popcount32(bits[base + w] ?? 0)
      sizes[row] = size
      start = end
    }
    return { words, bits, sizes, vocabulary: this.#vocabulary.items() }
  }
}
