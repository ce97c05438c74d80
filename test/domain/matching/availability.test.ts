import { describe, expect, it } from "vitest"
import {
  AVAILABILITY_BUCKETS,
  AVAILABILITY_TABLE,
  AvailabilityBucket,
  availabilityBucket,
  availabilitySimilarity,
  bucketSimilarity,
  SEED_AVAILABILITY
} from "../../../src/domain/matching/index.js"

describe("availabilitySimilarity (seed test_04)", () => {
  it.each([
    ["Qualquer hora", "Tarde", 0.7],
    ["Noite", "noite", 1.0],
    ["Fim de Semana", "fds", 0.0],
    ["Manhã", "Durante a semana", 0.4],
    ["Madrugada", "Tarde", 0.1],
    ["Manhã", "Fim de semana", 0.2],
    [null, "Tarde", 0.0],
    ["", "", 0.0]
  ] as const)("(%j, %j) = %d", (a, b, expected) => {
    expect(availabilitySimilarity(a, b)).toBe(expected)
    expect(availabilitySimilarity(b, a)).toBe(expected)
  })

  it("reproduces the seed's matrix over the 8 V3 values (seed-spec §6.2)", () => {
    // Rows and columns in DISPONIBILIDADE_LISTA order.
    const expected = [
      [1.0, 0.0, 0.0, 0.1, 0.2, 0.2, 0.4, 0.0],
      [0.0, 1.0, 0.0, 0.1, 0.2, 0.2, 0.4, 0.0],
      [0.0, 0.0, 1.0, 0.1, 0.2, 0.2, 0.4, 0.0],
      [0.1, 0.1, 0.1, 1.0, 0.1, 0.1, 0.1, 0.1],
      [0.2, 0.2, 0.2, 0.1, 1.0, 1.0, 0.0, 0.0],
      [0.2, 0.2, 0.2, 0.1, 1.0, 1.0, 0.0, 0.0],
      [0.4, 0.4, 0.4, 0.1, 0.0, 0.0, 1.0, 0.0],
      [0.0, 0.0, 0.0, 0.1, 0.0, 0.0, 0.0, 1.0]
    ]
    const actual = SEED_AVAILABILITY.map((a) => SEED_AVAILABILITY.map((b) => availabilitySimilarity(a, b)))
    expect(actual).toEqual(expected)
  })

  it("buckets the V3 values as the seed does", () => {
    expect(SEED_AVAILABILITY.map(availabilityBucket)).toEqual([
      AvailabilityBucket.Morning,
      AvailabilityBucket.Afternoon,
      AvailabilityBucket.Night,
      AvailabilityBucket.LateNight,
      AvailabilityBucket.Weekend,
      AvailabilityBucket.Weekend,
      AvailabilityBucket.Weekdays, // "Durante a Semana (Flexível)" is semana, never flexivel
      AvailabilityBucket.Other // "Horários Variados"
    ])
  })

  it("scores two unrecognised values 1.0 (outro == outro), as the seed does", () => {
    expect(availabilitySimilarity("Horários Variados", "sempre que der")).toBe(1)
  })

  it("treats blank values as missing (deliberate difference: the seed scored two blanks 1.0)", () => {
    expect(availabilitySimilarity("  ", "  ")).toBe(0)
    expect(availabilitySimilarity(" ", "Tarde")).toBe(0)
    expect(availabilityBucket(" \t")).toBe(AvailabilityBucket.Missing)
  })

  it("has a lookup table equal to the rule function on every pair of codes", () => {
    expect(AVAILABILITY_TABLE.length).toBe(AVAILABILITY_BUCKETS * AVAILABILITY_BUCKETS)
    for (let a = 0; a < AVAILABILITY_BUCKETS; a++) {
      for (let b = 0; b < AVAILABILITY_BUCKETS; b++) {
        expect(AVAILABILITY_TABLE[a * AVAILABILITY_BUCKETS + b]).toBe(
          bucketSimilarity(a as AvailabilityBucket, b as AvailabilityBucket)
        )
      }
    }
  })
})
