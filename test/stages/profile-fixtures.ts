/**
 * Test fixtures for the kmeans and ann-index kinds: a seeded, L2-normalised Gaussian mixture
 * written as a VectorMatrix artifact (matrix file + ids file; no BLOB table, the kinds do not read
 * it), and a way to run one kind's `run` directly with real services.
 */
import { createHash } from "node:crypto"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { Effect, Layer, Schema } from "effect"
import type { Faiss, FaissError } from "../../src/layers/faiss/index.js"
import { ArtifactStoreFs } from "../../src/layers/artifact-store/fs-artifact-store.js"
import type { ArtifactDescriptor } from "../../src/runtime/artifact.js"
import { Checkpoint } from "../../src/runtime/services/checkpoint.js"
import { StageProgress } from "../../src/runtime/services/progress.js"
import type { StageKind } from "../../src/runtime/stage-kind.js"
import type { VectorMatrix } from "../../src/artifacts/vector-matrix.js"
import type { ArtifactOf } from "../../src/runtime/artifact.js"
import { uniformSource } from "../../src/domain/random/index.js"

export type VectorMatrixDescriptor = ArtifactOf<typeof VectorMatrix>

const rng = uniformSource

const gaussian = (r: () => number) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())

/** `rows` unit vectors around `centers` random unit directions, with noise `spread`. */
export const mixture = (rows: number, dim: number, centers: number, seed: number, spread = 0.35): Float32Array => {
  const r = rng(seed)
  const c = new Float32Array(centers * dim)
  for (let i = 0; i < c.length; i++) c[i] = gaussian(r)
  const x = new Float32Array(rows * dim)
  for (let i = 0; i < rows; i++) {
    const b = Math.floor(r() * centers)
    let norm = 0
    for (let j = 0; j < dim; j++) {
      const v = c[b * dim + j]! / Math.sqrt(dim) + (spread * gaussian(r)) / Math.sqrt(dim)
      x[i * dim + j] = v
      norm += v * v
    }
    const inv = 1 / Math.sqrt(norm)
    for (let j = 0; j < dim; j++) x[i * dim + j]! *= inv
  }
  return x
}

/** Profile ids of the fixture: 1000 + 3 i, so that ids never equal row numbers. */
export const fixtureId = (row: number): bigint => BigInt(1000 + 3 * row)

/** Writes a VectorMatrix fixture under `dir` and returns its descriptor. */
export const writeVectorMatrix = (dir: string, rows: number, dim: number, seed: number, centers = 24): VectorMatrixDescriptor => {
  const x = mixture(rows, dim, centers, seed)
  const ids = BigInt64Array.from({ length: rows }, (_, i) => fixtureId(i))
  const path = join(dir, `embeddings-${rows}x${dim}-${seed}.f32`)
  const idsPath = join(dir, `embeddings-${rows}x${dim}-${seed}.ids`)
  const bytes = new Uint8Array(x.buffer)
  writeFileSync(path, bytes)
  writeFileSync(idsPath, new Uint8Array(ids.buffer))
  const digest = createHash("sha256").update(bytes).update(new Uint8Array(ids.buffer)).digest("hex")
  return {
    kind: "vector-matrix",
    path,
    idsPath,
    rows,
    dim,
    dbPath: join(dir, "unused.sqlite"),
    table: "embeddings",
    content: "embeddings:attributes",
    normalized: true,
    digest
  }
}

const noProgress = Layer.succeed(StageProgress, { setTotal: () => Effect.void, advance: () => Effect.void, message: () => Effect.void })
const noCheckpoint = Layer.succeed(Checkpoint, { committed: Effect.succeed(new Map()), commit: () => Effect.void })

/** Runs one kind's `run` with `config` decoded by the kind's schema, in `workDir`, with the given Faiss layer. */
export const runKind = (
  kind: StageKind<Faiss>,
  config: unknown,
  inputs: Readonly<Record<string, ArtifactDescriptor>>,
  root: string,
  workDir: string,
  faiss: Layer.Layer<Faiss, FaissError>
) =>
  kind
    .run({
      stageId: kind.name,
      runId: "test",
      attempt: 1,
      config: Schema.decodeUnknownSync(kind.config)(config),
      inputs,
      workDir,
      cacheKey: "test"
    })
    .pipe(Effect.provide(Layer.mergeAll(ArtifactStoreFs.layer(root), noProgress, noCheckpoint, faiss)))
