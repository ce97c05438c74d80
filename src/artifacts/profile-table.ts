/**
 * `profile-table`: generated profiles in a SQLite table, and their codes file (the numeric columns
 * of every profile, chunk after chunk), which programs read instead of regenerating profiles.
 */
import { Schema } from "effect"
import { defineArtifactKind } from "../runtime/artifact.js"

export const ProfileTable = defineArtifactKind("profile-table", "profiles in a SQLite table", {
  /** The SQLite database file. */
  path: Schema.String,
  table: Schema.String,
  rows: Schema.Number,
  seed: Schema.Number,
  locale: Schema.String,
  /**
   * The profiles' codes (ProfileCodes, chunk.ts): chunk c's numeric buffer at byte
   * c * chunkSize * BYTES_PER_PROFILE, chunks in order, no header. Readers that need numbers, not
   * text (vectors, embeddings, match scores, stats), read this instead of regenerating profiles.
   * Absent in tables made before it existed: readers then regenerate.
   */
  codes: Schema.optional(Schema.Struct({ path: Schema.String, chunkSize: Schema.Number, bytesPerProfile: Schema.Number }))
})
