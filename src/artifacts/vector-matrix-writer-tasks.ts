/**
 * The worker tasks that make a profile chunk's vectors for the vector-matrix writer: each reads the
 * chunk's codes from the profile table's codes file (55 bytes a profile, profile-table-codes.ts:
 * far cheaper than regenerating the chunk), or, on a worker that cannot read the caller's files (a
 * remote WorkerPool), from the chunk's codes bytes sent in its input (`CodesSource`), computes its vectors into a Float32Array of their own
 * and their digest (sha256 of the raw bytes, so the writer thread only inserts), and moves the
 * floats back without a copy.
 *
 * - `profiles/chunk-features`: the FEATURE_DIM-float feature vectors (src/domain/vectors/features.ts);
 * - `profiles/chunk-embeddings`: `dim`-float embeddings of a mode (src/domain/vectors/embeddings.ts).
 */
import { createHash } from "node:crypto"
import { Schema } from "effect"
import { EMBEDDING_DIM_RANGE, EMBEDDING_MODES, embeddingsInto, FEATURE_DIM, featuresInto } from "../domain/vectors/index.js"
import { defineWorkerTask } from "../runtime/worker-task.js"
import { CodesSource, readCodesChunkSync } from "./profile-table-codes.js"

/** sha256 (hex) of a float32 array's raw little-endian bytes: a vector chunk's digest. */
export const floatsDigest = (values: Float32Array): string =>
  createHash("sha256").update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest("hex")

const Chunk = Schema.Int.pipe(Schema.nonNegative())

/** A chunk's vectors and their digest. */
const VectorChunk = Schema.Struct({ values: Schema.instanceOf(Float32Array), digest: Schema.String })
type VectorChunk = typeof VectorChunk.Type

const vectorChunk = (values: Float32Array<ArrayBuffer>): VectorChunk => ({ values, digest: floatsDigest(values) })

/** Feature vectors of chunk `chunk` of a codes file (or of the codes bytes given). */
export const ProfileChunkFeatures = defineWorkerTask({
  name: "profiles/chunk-features",
  module: import.meta.url,
  input: Schema.Struct({ codes: CodesSource, chunk: Chunk }),
  output: VectorChunk,
  run: ({ codes, chunk }) => {
    const profiles = readCodesChunkSync(codes, chunk)
    const values = new Float32Array(profiles.count * FEATURE_DIM)
    featuresInto(profiles, values)
    return vectorChunk(values)
  },
  transfer: (output) => [output.values.buffer as ArrayBuffer]
})

/** Embeddings of chunk `chunk` of a codes file (or of the codes bytes given). */
export const ProfileChunkEmbeddings = defineWorkerTask({
  name: "profiles/chunk-embeddings",
  module: import.meta.url,
  input: Schema.Struct({
    codes: CodesSource,
    chunk: Chunk,
    dim: Schema.Int.pipe(Schema.between(EMBEDDING_DIM_RANGE.min, EMBEDDING_DIM_RANGE.max)),
    mode: Schema.Literal(...EMBEDDING_MODES),
    /** Seed of the embedding noise (attributes) or vectors (seed-random). */
    seed: Schema.Int.pipe(Schema.nonNegative())
  }),
  output: VectorChunk,
  run: ({ codes, chunk, dim, mode, seed }) => {
    const profiles = readCodesChunkSync(codes, chunk)
    const values = new Float32Array(profiles.count * dim)
    embeddingsInto(profiles, dim, mode, seed, values)
    return vectorChunk(values)
  },
  transfer: (output) => [output.values.buffer as ArrayBuffer]
})
