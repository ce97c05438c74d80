/**
 * Config fields shared by the data stages. Each refinement has a `title` (the pipeline loader prints
 * it as the expected type: "expected number (an integer from 1 to 50,000,000), found 0") and a
 * message (what other decoders print).
 */
import { Schema } from "effect"
import { isSupportedLocale, SUPPORTED_LOCALES } from "../../domain/profile/index.js"
import { EMBEDDING_DIM_RANGE, EMBEDDING_MODES } from "../../domain/vectors/index.js"

export const MAX_PROFILES = 50_000_000
export const MAX_CHUNK = 1_000_000

const integerBetween = (what: string, min: number, max: number) => {
  const range = `an integer from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}`
  return Schema.Number.pipe(
    Schema.filter((n) => (Number.isInteger(n) && n >= min && n <= max) || `${what} must be ${range}, got ${n}`, { title: range })
  )
}

export const ProfileCount = integerBetween("count", 1, MAX_PROFILES)
export const ChunkSize = integerBetween("chunkSize", 1, MAX_CHUNK)
export const EmbeddingDim = integerBetween("dim", EMBEDDING_DIM_RANGE.min, EMBEDDING_DIM_RANGE.max)

export const Seed = Schema.Number.pipe(
  Schema.filter((n) => (Number.isSafeInteger(n) && n >= 0) || `seed must be a non-negative integer, got ${n}`, {
    title: "a non-negative integer"
  })
)

const supported = `a supported locale: ${SUPPORTED_LOCALES.join(", ")}`
export const LocaleName = Schema.String.pipe(
  Schema.filter((s) => isSupportedLocale(s) || `unknown locale '${s}'; supported: ${SUPPORTED_LOCALES.join(", ")}`, { title: supported })
)

export const EmbeddingModeName = Schema.Literal(...EMBEDDING_MODES)
