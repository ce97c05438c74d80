import { describe, expect, it } from "vitest"
import { cumulativeWeights, forChunk, forKey, hashString } from "../../../src/domain/random/index.js"

const draws = (rng: { nextU32(): number }, n: number) => Array.from({ length: n }, () => rng.nextU32())

describe("random", () => {
  it("is a pure function of (seed, chunk, stream)", () => {
    expect(draws(forChunk(42, 7), 100)).toEqual(draws(forChunk(42, 7), 100))
    expect(draws(forChunk(42, 7), 8)).not.toEqual(draws(forChunk(42, 8), 8))
    expect(draws(forChunk(42, 7), 8)).not.toEqual(draws(forChunk(43, 7), 8))
    expect(draws(forChunk(42, 7, 1), 8)).not.toEqual(draws(forChunk(42, 7, 0), 8))
    // High words of large seeds matter.
    expect(draws(forChunk(2 ** 40, 0), 8)).not.toEqual(draws(forChunk(0, 0), 8))
  })

  it("rejects seeds and chunks that are not non-negative safe integers", () => {
    expect(() => forChunk(-1, 0)).toThrow(RangeError)
    expect(() => forChunk(1.5, 0)).toThrow(RangeError)
    expect(() => forChunk(0, Number.NaN)).toThrow(RangeError)
  })

  it("draws uniform integers within range, covering it evenly", () => {
    const rng = forChunk(1, 0)
    const counts = new Array<number>(10).fill(0)
    for (let i = 0; i < 100_000; i++) {
      const x = rng.int(3, 12)
      expect(x >= 3 && x <= 12).toBe(true)
      counts[x - 3]!++
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500)
  })

  it("samples distinct indices, weighted picks and booleans with the asked probabilities", () => {
    const rng = forChunk(2, 0)
    for (let i = 0; i < 1000; i++) {
      const s = rng.sampleDistinct(8, 3)
      expect(new Set(s).size).toBe(3)
      expect(s.every((x) => x >= 0 && x < 8)).toBe(true)
    }
    expect(() => rng.sampleDistinct(3, 4)).toThrow(RangeError)
    const table = cumulativeWeights([1, 0, 3])
    const hits = [0, 0, 0]
    let trues = 0
    for (let i = 0; i < 40_000; i++) {
      hits[rng.weightedIndex(table)]!++
      if (rng.bool(0.25)) trues++
    }
    expect(hits[1]).toBe(0)
    expect(hits[2]! / 40_000).toBeCloseTo(0.75, 1)
    expect(trues / 40_000).toBeCloseTo(0.25, 1)
    expect(["a", "b"]).toContain(rng.pick(["a", "b"]))
    expect(() => cumulativeWeights([0, 0])).toThrow(RangeError)
  })

  it("draws standard normals", () => {
    const rng = forChunk(3, 0)
    let sum = 0
    let sq = 0
    const n = 100_000
    for (let i = 0; i < n; i++) {
      const x = rng.normal()
      sum += x
      sq += x * x
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02)
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.02)
  })

  it("addUniform consumes the same raw stream as float()", () => {
    const a = forKey(5, 1, 2)
    const b = forKey(5, 1, 2)
    const acc = new Float64Array(16)
    a.addUniform(acc, 0, 16, 0, 1)
    for (let i = 0; i < 16; i++) expect(acc[i]).toBeCloseTo(b.float(), 12)
    expect(a.nextU32()).toBe(b.nextU32())
  })

  it("hashes strings stably and seed-dependently", () => {
    expect(hashString("Kim Silva", 1)).toBe(hashString("Kim Silva", 1))
    expect(hashString("Kim Silva", 1)).not.toBe(hashString("Kim Silva", 2))
    expect(hashString("Kim Silva", 1)).not.toBe(hashString("Kim Silvb", 1))
    // Golden values: a change to the hash or the seeding changes every dataset and embedding.
    expect(hashString("Kim Silva", 1)).toBe(4055112032)
    expect(forChunk(42, 0).nextU32()).toBe(3320265945)
    expect(forChunk(42, 1).nextU32()).toBe(4157924390)
  })
})
