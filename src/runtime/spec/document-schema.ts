/**
 * Schemas of the raw pipeline document, one per part, so that a bad part does not hide problems in
 * the others. Unknown keys are not rejected by these schemas: the loader checks keys against the
 * lists here itself, to attach a did-you-mean.
 */
import { Schema } from "effect"
import { DurationMs } from "./duration.js"

export const TOP_LEVEL_KEYS = ["pipeline", "description", "kinds", "params", "layers", "resources", "stages"] as const
export const STAGE_KEYS = ["uses", "description", "needs", "inputs", "with", "retry", "timeout", "resources"] as const
export const RETRY_KEYS = ["times", "base", "max"] as const

export const PIPELINE_NAME = /^[a-z0-9][a-z0-9_-]*$/
export const STAGE_ID = /^[a-z][a-z0-9_-]*$/

export const PipelineName = Schema.String.pipe(
  Schema.pattern(PIPELINE_NAME, { title: "lowercase letters, digits, '-' and '_', not starting with '-' or '_'" })
)

export const ParamValue = Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null)
export const Params = Schema.Record({ key: Schema.String, value: ParamValue })

export const LayerSettings = Schema.Record({ key: Schema.String, value: Schema.Unknown })

export const Slots = Schema.Int.pipe(Schema.positive())
export const Resources = Schema.Record({ key: Schema.String, value: Slots })

const NameList = Schema.Union(Schema.String, Schema.Array(Schema.String))

export const RetryDocument = Schema.Struct({
  times: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { default: () => 0 }),
  base: Schema.optionalWith(DurationMs, { default: () => 100 }),
  max: Schema.optionalWith(DurationMs, { default: () => 10_000 })
})

/** A stage entry, minus `with` (decoded by the kind's own config Schema). */
export const StageDocument = Schema.Struct({
  uses: Schema.String,
  description: Schema.optional(Schema.String),
  needs: Schema.optionalWith(NameList, { default: () => [] }),
  inputs: Schema.optionalWith(Schema.Record({ key: Schema.String, value: NameList }), { default: () => ({}) }),
  retry: Schema.optionalWith(RetryDocument, { default: () => ({ times: 0, base: 100, max: 10_000 }) }),
  timeout: Schema.optionalWith(Schema.NullOr(DurationMs), { default: () => null }),
  resources: Schema.optionalWith(NameList, { default: () => [] })
})

export type StageDocument = typeof StageDocument.Type
