/**
 * What the dashboard holds in memory once loaded, and how it is loaded from a run's artifacts:
 *
 * - the profiles SQLite file, opened read-only (full rows are read per request, by id);
 * - every profile's scored fields encoded once (`ProfileEncoder`, ~42 bytes a profile), so a
 *   request scores its 251 candidates with the encoded kernel instead of parsing 251 rows;
 * - the saved FAISS index, read (not rebuilt) with its tuned search parameters applied;
 * - the embeddings matrix file, kept open: a request reads its origin's row (dim × 4 bytes) at an
 *   offset instead of holding the whole matrix (512 MB at 1,000,000 × 128) in memory.
 */
import { Effect, type Scope } from "effect"
import { openAnnIndex } from "../artifacts/ann-index.js"
import { openVectorRows, readVectorIds } from "../artifacts/vector-matrix.js"
import { type EncodedProfiles, ProfileEncoder } from "../domain/matching/index.js"
import type { StageError } from "../runtime/errors.js"
import type { Faiss, FaissError, FaissIndex } from "../services/faiss.js"
import { checkCount, checkEmbeddingIds, checkEmbeddingRows, type LoadCheckFailed } from "./load-checks.js"
import { ArtifactsUnavailable, type ServedArtifacts } from "./run-artifacts.js"
import { openProfileStore, type ProfileStore } from "./profile-store.js"

/** Sorted ids and a lookup of an id's position; a Map only when the ids are not sorted. */
export interface IdPositions {
  readonly count: number
  /** Position of `id`, or -1. */
  readonly positionOf: (id: number) => number
  readonly idAt: (position: number) => number
}

export const idPositions = (ids: Float64Array): IdPositions => {
  let sorted = true
  for (let i = 1; i < ids.length && sorted; i++) sorted = (ids[i - 1] as number) < (ids[i] as number)
  if (sorted) {
    return {
      count: ids.length,
      idAt: (p) => ids[p] as number,
      positionOf: (id) => {
        let lo = 0
        let hi = ids.length - 1
        while (lo <= hi) {
          const mid = (lo + hi) >>> 1
          const v = ids[mid] as number
          if (v === id) return mid
          if (v < id) lo = mid + 1
          else hi = mid - 1
        }
        return -1
      }
    }
  }
  const map = new Map<number, number>()
  ids.forEach((id, i) => map.set(id, i))
  return { count: ids.length, idAt: (p) => ids[p] as number, positionOf: (id) => map.get(id) ?? -1 }
}

/** Reads one row of a float32 matrix file on demand. */
export interface EmbeddingReader {
  readonly dim: number
  readonly ids: IdPositions
  /** The embedding of profile `id`, or undefined when the matrix has no row for it. */
  readonly embeddingOf: (id: number) => Float32Array | undefined
}

export interface MatchData {
  readonly artifacts: ServedArtifacts
  readonly store: ProfileStore
  /** Row `r` of `encoded` is the profile with id `profileIds.idAt(r)`. */
  readonly encoded: EncodedProfiles
  readonly profileIds: IdPositions
  readonly embeddings: EmbeddingReader
  readonly index: FaissIndex
  readonly indexTotal: number
}

const unavailable = (message: string, hint: string) => new ArtifactsUnavailable({ message, hint })

const openEmbeddings = (artifacts: ServedArtifacts): Effect.Effect<EmbeddingReader, ArtifactsUnavailable, Scope.Scope> =>
  Effect.gen(function* () {
    const ids = idPositions(Float64Array.from(yield* readVectorIds(artifacts.embeddings), Number))
    const matrix = yield* openVectorRows(artifacts.embeddings)
    return {
      dim: matrix.dim,
      ids,
      embeddingOf: (id: number) => {
        const row = ids.positionOf(id)
        return row < 0 ? undefined : matrix.row(row)
      }
    }
  }).pipe(Effect.mapError((e) => unavailable(`the embeddings: ${e.message}`, `pipeline run ${artifacts.run.file}`)))

const openStore = (artifacts: ServedArtifacts) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => openProfileStore(artifacts.profiles.path, artifacts.profiles.table),
      catch: (cause) =>
        unavailable(`cannot open the profiles table in ${artifacts.profiles.path}: ${String(cause)}`, `pipeline run ${artifacts.run.file}`)
    }),
    (store) => Effect.sync(() => store.close())
  )

/** Rows encoded between yields, so a long load leaves the event loop free to answer /healthz. */
const ENCODE_SLICE = 20_000

const encodeAll = (store: ProfileStore) =>
  Effect.gen(function* () {
    const encoder = new ProfileEncoder({}, store.count)
    const ids = new Float64Array(store.count)
    const rows = store.scoredFields()
    let n = 0
    for (;;) {
      let done = false
      for (let i = 0; i < ENCODE_SLICE; i++) {
        const next = rows.next()
        if (next.done === true) {
          done = true
          break
        }
        const r = next.value
        if (n >= ids.length) return yield* unavailable("the profiles table grew while it was being read", "restart pipeline serve")
        ids[n++] = r.id
        encoder.push({ platforms: r.platforms, availability: r.availability, games: r.games, styles: r.play_styles, interaction: r.interaction })
      }
      if (done) break
      yield* Effect.yieldNow()
    }
    return { encoded: encoder.finish(), profileIds: idPositions(ids.subarray(0, n)) }
  })

const openIndex = (
  artifacts: ServedArtifacts
): Effect.Effect<{ index: FaissIndex; ntotal: number }, StageError | FaissError, Faiss | Scope.Scope> =>
  Effect.gen(function* () {
    const index = yield* openAnnIndex(artifacts.index)
    return { index, ntotal: yield* index.ntotal }
  })

/** Loads everything; resources live as long as `Scope`. */
export const loadMatchData = (artifacts: ServedArtifacts): Effect.Effect<MatchData, ArtifactsUnavailable, Faiss | Scope.Scope> =>
  Effect.gen(function* () {
    const store = yield* openStore(artifacts)
    const embeddings = yield* openEmbeddings(artifacts)
    const { index, ntotal } = yield* openIndex(artifacts).pipe(
      Effect.mapError((e) => unavailable(`cannot load the FAISS index ${artifacts.index.path}: ${e.message}`, `pipeline run ${artifacts.run.file} --force ${artifacts.stages.index}`))
    )
    if (index.dim !== embeddings.dim) {
      return yield* unavailable(
        `the index has dimension ${index.dim} but the embeddings ${embeddings.dim}`,
        `pipeline run ${artifacts.run.file} --force ${artifacts.stages.index}`
      )
    }
    const { encoded, profileIds } = yield* encodeAll(store)
    const rerun = `pipeline run ${artifacts.run.file} --force ${artifacts.stages.profiles}`
    const reindex = `pipeline run ${artifacts.run.file} --force ${artifacts.stages.index}`
    const checked = (hint: string) => Effect.mapError((e: LoadCheckFailed) => unavailable(e.message, hint))
    yield* checkCount(`the profiles table in ${artifacts.profiles.path}`, encoded.count, artifacts.profiles.rows).pipe(checked(rerun))
    yield* checkEmbeddingIds(embeddings.ids, profileIds, artifacts.embeddings.idsPath).pipe(checked(rerun))
    yield* checkEmbeddingRows(artifacts.embeddings).pipe(checked(rerun))
    yield* checkCount(`the FAISS index ${artifacts.index.path}`, ntotal, artifacts.index.rows).pipe(checked(reindex))
    yield* checkCount(`the dimension of the FAISS index ${artifacts.index.path}`, index.dim, artifacts.index.dim).pipe(checked(reindex))
    return { artifacts, store, encoded, profileIds, embeddings, index, indexTotal: ntotal }
  })
