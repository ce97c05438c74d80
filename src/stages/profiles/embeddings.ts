/**
 * `embeddings`: an L2-normalised float32 embedding per profile (src/domain/vectors/embeddings.ts),
 * mode `attributes` (cosine follows attribute overlap) or `seed-random` (the seed's behaviour), as
 * a vector matrix: `<workDir>/embeddings.f32` + `embeddings.ids.i64` and the BLOB table
 * `embeddings` in `<workDir>/embeddings.sqlite`. Chunking follows the profile table (see
 * feature-vectors.ts).
 */
import { Schema } from "effect"
import { DEFAULT_EMBEDDING_DIM } from "../../domain/vectors/index.js"
import { defineStageKind, field } from "../../runtime/stage-kind.js"
import { ProfileTable } from "../../artifacts/profile-table.js"
import { VectorMatrix } from "../../artifacts/vector-matrix.js"
import { ProfileChunkEmbeddings } from "../../artifacts/vector-matrix-writer-tasks.js"
import { EmbeddingDim, EmbeddingModeName, Seed } from "./data-config.js"
import { runVectorStage } from "./data-vector-stage.js"

/** The `embeddings` stage kind. */
export const embeddings = defineStageKind({
  name: "embeddings",
  // 2: the digest is made from the committed chunk digests (no re-read of the matrix file); vectors on a sink thread.
  version: 2,
  description: "Computes an L2-normalised embedding of every profile (matrix file + BLOB table).",
  config: Schema.Struct({
    dim: field(EmbeddingDim, DEFAULT_EMBEDDING_DIM, "embedding dimension (8..4096)"),
    mode: field(EmbeddingModeName, "attributes", "attributes: cosine follows attribute overlap; seed-random: the seed's random vectors"),
    seed: field(Seed, 42, "seed of the embedding noise (attributes) or vectors (seed-random)")
  }),
  inputs: { profiles: { artifact: ProfileTable, description: "the generated profile table" } },
  output: VectorMatrix,
  run: ({ config, inputs, workDir, cacheKey }) =>
    runVectorStage({
      workDir,
      cacheKey,
      profiles: inputs.profiles,
      name: "embeddings",
      table: "embeddings",
      dim: config.dim,
      content: `embeddings:${config.mode}`,
      normalized: true,
      task: ProfileChunkEmbeddings,
      input: (codes, chunk) => ({ codes, chunk, dim: config.dim, mode: config.mode, seed: config.seed })
    })
})
