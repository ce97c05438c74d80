import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { DurationMs, parseDuration } from "../../../src/runtime/spec/duration.js"

describe("durations", () => {
  it("parses numbers as milliseconds and unit strings", () => {
    expect(parseDuration(1500)).toBe(1500)
    expect(parseDuration("250ms")).toBe(250)
    expect(parseDuration("2s")).toBe(2000)
    expect(parseDuration("1.5m")).toBe(90_000)
    expect(parseDuration("1h")).toBe(3_600_000)
  })

  it("rejects other forms", () => {
    expect(parseDuration("5 minutes")).toBeUndefined()
    expect(parseDuration(-1)).toBeUndefined()
    expect(parseDuration("10")).toBeUndefined()
    expect(Either.isLeft(Schema.decodeUnknownEither(DurationMs)("soon"))).toBe(true)
    expect(Schema.decodeUnknownSync(DurationMs)("3s")).toBe(3000)
  })
})
