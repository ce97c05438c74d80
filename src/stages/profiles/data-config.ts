/** Config fields shared by the data stages, with the messages users see when a value is wrong. */
import { Schema } from "effect"
import { isSupportedLocale, SUPPORTED_LOCALES } from "../../domain/profile/index.js"
import { EMBEDDING_DIM_RANGE, EMBEDDING_MODES } from "../../domain/vectors/index.js"

export const MAX_PROFILES = 50_000_000
export const MAX_CHUNK = 1_000_000

export const ProfileCount = Schema.Number.pipe(
  Schema.filter((n) =>
    (Number.isInteger(n) && n >= 1 && n <= MAX_PROFILES) || `count must be an integer from 1 to ${MAX_PROFILES.toLocaleString("en")}, got ${n}`
  )
)

export const Seed = Schema.Number.pipe(
  Schema.filter((n) => (Number.isSafeInteger(n) && n >= 0) || `seed must be a non-negative integer, got ${n}`)
)

export const ChunkSize = Schema.Number.pipe(
  Schema.filter((n) => (Number.isInteger(n) && n >= 1 && n <= MAX_CHUNK) || `chunkSize must be an integer from 1 to ${MAX_CHUNK.toLocaleString("en")}, got ${n}`)
)

export const LocaleName = Schema.String.pipe(
  Schema.filter((s) => isSupportedLocale(s) || `unknown locale '${s}'; supported: ${SUPPORTED_LOCALES.join(", ")}`)
)

export const EmbeddingDim = Schema.Number.pipe(
  Schema.filter(
    (n) =>
      (Number.isInteger(n) && n >= EMBEDDING_DIM_RANGE.min && n <= EMBEDDING_DIM_RANGE.max) ||
      `dim must be an integer from ${EMBEDDING_DIM_RANGE.min} to ${EMBEDDING_DIM_RANGE.max}, got ${n}`
  )
)

export const EmbeddingModeName = Schema.Literal(...EMBEDDING_MODES)
