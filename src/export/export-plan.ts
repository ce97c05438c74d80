/**
 * What an export writes, and the manifest that lists it.
 *
 * From each source artifact, per format asked for (`docs/data-layout.md` shows how to read each):
 *
 * | source (stage id S)         | parquet                                   | csv            | npy                                      | jsonl |
 * |-----------------------------|-------------------------------------------|----------------|------------------------------------------|-------|
 * | profile table               | S.parquet                                 | S.csv          |                                          |       |
 * | vector matrix               | S.parquet (id, vector: list of float32)   |                | S.npy (rows x dim float32), S.ids.npy    |       |
 * | cluster assignment          | S.parquet (id, cluster, distance), S.centroids.parquet | S.csv | S.centroids.npy, S.assignments.npy |       |
 * | scored matches (index S)    | matches.parquet                           | matches.csv    |                                          | matches.jsonl |
 */
import { Schema } from "effect"

export const EXPORT_FORMATS = ["parquet", "csv", "npy", "jsonl"] as const
export const ExportFormat = Schema.Literal(...EXPORT_FORMATS)
export type ExportFormat = typeof ExportFormat.Type

/** One file of an export, as the manifest lists it. */
export const ExportedFile = Schema.Struct({
  /** Relative to the export directory. */
  path: Schema.String,
  format: ExportFormat,
  /** The stage whose artifact it came from. */
  stage: Schema.String,
  /** What it holds: profiles, vectors, ids, clusters, centroids, assignments, matches. */
  content: Schema.String,
  rows: Schema.Int,
  /** Columns (Parquet, CSV) in order; for `.npy` files, the dtype and shape instead. */
  columns: Schema.optional(Schema.Array(Schema.String)),
  dtype: Schema.optional(Schema.String),
  shape: Schema.optional(Schema.Array(Schema.Int)),
  bytes: Schema.Int
})
export type ExportedFile = typeof ExportedFile.Type

/** `manifest.json`, written last. */
export const ExportManifest = Schema.Struct({
  createdBy: Schema.String,
  pipeline: Schema.NullOr(Schema.String),
  run: Schema.NullOr(Schema.String),
  formats: Schema.Array(ExportFormat),
  files: Schema.Array(ExportedFile)
})
export type ExportManifest = typeof ExportManifest.Type

export const MANIFEST_FILE = "manifest.json"
