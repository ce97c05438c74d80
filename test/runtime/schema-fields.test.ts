import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { describeFields, structFieldNames } from "../../src/runtime/schema-fields.js"
import { field, required } from "../../src/runtime/stage-kind.js"

const Config = Schema.Struct({
  count: required(Schema.Int.pipe(Schema.positive()), "how many"),
  seed: field(Schema.Int, 42, "random seed"),
  mode: field(Schema.Literal("a", "b"), "a", "the mode"),
  tags: Schema.optional(Schema.Array(Schema.String))
})

describe("schema-fields", () => {
  it("lists field names of plain structs and structs with defaulted fields", () => {
    expect(structFieldNames(Config)).toEqual(["count", "seed", "mode", "tags"])
    expect(structFieldNames(Schema.Struct({ a: Schema.String, b: Schema.Number }))).toEqual(["a", "b"])
    expect(structFieldNames(Schema.String)).toBeUndefined()
  })

  it("describes type, requiredness, default and description of each field", () => {
    expect(describeFields(Config)).toEqual([
      { name: "count", type: "integer (positive)", required: true, description: "how many" },
      { name: "seed", type: "integer", required: false, default: 42, description: "random seed" },
      { name: "mode", type: '"a" | "b"', required: false, default: "a", description: "the mode" },
      { name: "tags", type: "list of string", required: false }
    ])
    expect(describeFields(Schema.Number)).toEqual([])
  })
})
