/**
 * ArtifactStore: where stages put their data. One directory per pipeline; every file is written
 * atomically (temporary file + rename) and digested, so a crash never leaves a half-written
 * artifact that looks complete.
 */
import { Context, type Effect } from "effect"
import type { ArtifactStoreError } from "../errors.js"

export interface ArtifactStoreService {
  /** The pipeline's output directory (e.g. `out/full`). */
  readonly root: string
  /** The work directory of a stage for one cache key; created if missing. */
  readonly stageDir: (stageId: string, cacheKey: string) => Effect.Effect<string, ArtifactStoreError>
  /** Removes and recreates a stage's work directory (a stage starting from scratch). */
  readonly resetStageDir: (stageId: string, cacheKey: string) => Effect.Effect<string, ArtifactStoreError>
  /** Writes `data` to `path` atomically and returns its hex sha256. */
  readonly writeFile: (path: string, data: Uint8Array | string) => Effect.Effect<string, ArtifactStoreError>
  /** Hex sha256 of a file's bytes, streamed. */
  readonly digestFile: (path: string) => Effect.Effect<string, ArtifactStoreError>
  readonly exists: (path: string) => Effect.Effect<boolean>
}

export class ArtifactStore extends Context.Tag("pipeline/ArtifactStore")<ArtifactStore, ArtifactStoreService>() {}
