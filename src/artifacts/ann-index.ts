/** `ann-index`: a saved FAISS index over profile embeddings, with its tuned search parameters. */
import { Schema } from "effect"
import { defineArtifactKind } from "../runtime/artifact.js"

export const AnnIndex = defineArtifactKind("ann-index", "a saved FAISS index over profile embeddings, ids = profile ids", {
  path: Schema.String,
  factory: Schema.String,
  metric: Schema.Literal("l2", "ip"),
  rows: Schema.Number,
  dim: Schema.Number,
  /** Tuned search parameters, e.g. `{ nprobe: 16 }` or `{ efSearch: 64 }`. */
  searchParameters: Schema.Record({ key: Schema.String, value: Schema.Number }),
  /** Measured recall@10 against exact search on a sample. */
  recallAt10: Schema.Number
})
