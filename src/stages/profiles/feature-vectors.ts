/**
 * `feature-vectors`: the documented FEATURE_DIM-float feature vector of every profile
 * (src/domain/vectors/features.ts), as a vector matrix: `<workDir>/features.f32` +
 * `features.ids.i64` and the BLOB table `feature_vectors` in `<workDir>/features.sqlite`. Chunks
 * follow the profile table's own chunking (its descriptor's chunkSize), so this kind has no chunk
 * size of its own.
 */
import { Schema } from "effect"
import { FEATURE_DIM } from "../../domain/vectors/index.js"
import { defineStageKind } from "../../runtime/stage-kind.js"
import { ProfileTable } from "../../artifacts/profile-table.js"
import { VectorMatrix } from "../../artifacts/vector-matrix.js"
import { ProfileChunkFeatures } from "../../artifacts/vector-matrix-writer-tasks.js"
import { runVectorStage } from "./data-vector-stage.js"

/** The `feature-vectors` stage kind. */
export const featureVectors = defineStageKind({
  name: "feature-vectors",
  // 2: the digest is made from the committed chunk digests (no re-read of the matrix file); vectors on a sink thread.
  version: 2,
  description: `Computes the ${FEATURE_DIM}-float interpretable feature vector of every profile (matrix file + BLOB table).`,
  config: Schema.Struct({}),
  inputs: { profiles: { artifact: ProfileTable, description: "the generated profile table" } },
  output: VectorMatrix,
  run: ({ inputs, workDir, cacheKey }) =>
    runVectorStage({
      workDir,
      cacheKey,
      profiles: inputs.profiles,
      name: "features",
      table: "feature_vectors",
      dim: FEATURE_DIM,
      content: "features",
      normalized: false,
      task: ProfileChunkFeatures,
      input: (codes, chunk) => ({ codes, chunk })
    })
})
