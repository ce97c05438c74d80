import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import {
  chunkTransferList,
  generateChunk,
  MAX_CHUNK_SIZE,
  Profile,
  profileAt,
  SUPPORTED_LOCALES,
  type Locale,
  type ProfileChunk
} from "../../../src/domain/profile/index.js"

const bytes = (c: ProfileChunk) => Buffer.from(c.buffer)

describe("generateChunk determinism", () => {
  it("gives byte-identical columns and strings for the same (seed, chunk)", () => {
    const a = generateChunk(42, 3, 3000, 1000, "pt_BR")
    const b = generateChunk(42, 3, 3000, 1000, "pt_BR")
    expect(bytes(a).equals(bytes(b))).toBe(true)
    expect(a.name).toEqual(b.name)
    expect(a.description).toEqual(b.description)
  })

  it("differs between chunks and between seeds", () => {
    const a = generateChunk(42, 3, 0, 1000, "pt_BR")
    expect(bytes(a).equals(bytes(generateChunk(42, 4, 0, 1000, "pt_BR")))).toBe(false)
    expect(bytes(a).equals(bytes(generateChunk(43, 3, 0, 1000, "pt_BR")))).toBe(false)
    expect(a.description).not.toEqual(generateChunk(42, 4, 0, 1000, "pt_BR").description)
  })

  it("is independent of which worker runs which chunk, and in what order", () => {
    const chunkSize = 500
    const chunks = 6
    const inOrder = Array.from({ length: chunks }, (_, k) => generateChunk(7, k, k * chunkSize, chunkSize, "pt_BR"))
    // Two "workers" taking interleaved chunks, the second one backwards, each after unrelated work.
    const results = new Map<number, ProfileChunk>()
    generateChunk(99, 0, 0, 123, "pt_BR")
    for (let k = 0; k < chunks; k += 2) results.set(k, generateChunk(7, k, k * chunkSize, chunkSize, "pt_BR"))
    generateChunk(1, 5, 0, 77, "pt_BR")
    for (let k = chunks - 1; k >= 1; k -= 2) results.set(k, generateChunk(7, k, k * chunkSize, chunkSize, "pt_BR"))
    for (let k = 0; k < chunks; k++) {
      const r = results.get(k)!
      expect(bytes(r).equals(bytes(inOrder[k]!))).toBe(true)
      expect(r.name).toEqual(inOrder[k]!.name)
      expect(r.description).toEqual(inOrder[k]!.description)
    }
  })

  it("survives structured clone with its transfer list (the worker boundary)", () => {
    const c = generateChunk(5, 1, 100, 200, "pt_BR")
    const copy = structuredClone(c, { transfer: chunkTransferList(c) })
    expect(c.buffer.byteLength).toBe(0) // moved, not copied
    const again = generateChunk(5, 1, 100, 200, "pt_BR")
    expect(Buffer.from(copy.buffer).equals(bytes(again))).toBe(true)
    expect(profileAt(copy, 17)).toEqual(profileAt(again, 17))
  })
})

describe("generateChunk arguments", () => {
  it("rejects bad sizes, ids and locales with clear errors", () => {
    expect(() => generateChunk(1, 0, 0, -1, "pt_BR")).toThrow(/count/)
    expect(() => generateChunk(1, 0, 0, 1.5, "pt_BR")).toThrow(/count/)
    expect(() => generateChunk(1, 0, 0, MAX_CHUNK_SIZE + 1, "pt_BR")).toThrow(/chunk limit/)
    expect(() => generateChunk(1, 0, -5, 10, "pt_BR")).toThrow(/firstId/)
    expect(() => generateChunk(-1, 0, 0, 10, "pt_BR")).toThrow(/seed/)
    expect(() => generateChunk(1, 0, 0, 10, "en_US" as Locale)).toThrow(/unknown locale 'en_US'; supported: pt_BR/)
    expect(SUPPORTED_LOCALES).toEqual(["pt_BR"])
  })

  it("accepts an empty chunk", () => {
    const c = generateChunk(1, 0, 0, 0, "pt_BR")
    expect(c.count).toBe(0)
    expect(c.name).toEqual([])
  })
})

describe("profileAt", () => {
  it("decodes rows that satisfy the Profile schema, with ids from firstId", () => {
    const c = generateChunk(11, 2, 5000, 300, "pt_BR")
    for (let i = 0; i < c.count; i++) {
      const p = profileAt(c, i)
      expect(p.id).toBe(5000 + i)
      expect(Schema.decodeUnknownEither(Schema.typeSchema(Profile))(p)._tag).toBe("Right")
    }
    expect(() => profileAt(c, 300)).toThrow(RangeError)
  })

  it("the schema rejects a state that does not match the city and duplicate list items", () => {
    const p = profileAt(generateChunk(11, 2, 0, 1, "pt_BR"), 0)
    const decode = Schema.decodeUnknownEither(Schema.typeSchema(Profile))
    const otherState = p.state === "SP" ? "RJ" : "SP"
    expect(decode({ ...p, state: otherState })._tag).toBe("Left")
    expect(decode({ ...p, platforms: ["PC", "PC"] })._tag).toBe("Left")
    expect(decode({ ...p, age: 17 })._tag).toBe("Left")
  })
})
