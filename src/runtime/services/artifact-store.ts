/**
 * ArtifactStore: where stages put their data. One directory per pipeline; every file is written
 * atomically (temporary file + rename) and digested, so a crash never leaves a half-written
 * artifact that looks complete.
 */
import { Context, type Effect } from "effect"
import type { ArtifactStoreError } from "../errors.js"

/** One file of a committed artifact, as recorded at commit (see `recordFiles`). */
export interface FileCheck {
  /** Relative to the store's root, `/`-separated: a moved output directory still matches. */
  readonly path: string
  readonly size: number
  readonly mtimeMs: number
  /** sha256 of the whole file when small, else of its size and sampled blocks (the quick check). */
  readonly sample: string
  /** sha256 of the whole file. */
  readonly digest: string
}

/** A recorded file that is not as committed: `path` (store-relative) and what is wrong with it. */
export interface FileProblem {
  readonly path: string
  readonly detail: string
}

/** `quick`: sizes and sampled blocks (whole files when changed since commit); `full`: every byte. */
export type CheckDepth = "quick" | "full"

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
  /** Records every file under a stage's work directory, for the checks that precede reuse. */
  readonly recordFiles: (dir: string) => Effect.Effect<ReadonlyArray<FileCheck>, ArtifactStoreError>
  /** What is wrong with recorded files now (empty when all are intact). */
  readonly checkFiles: (files: ReadonlyArray<FileCheck>, depth: CheckDepth) => Effect.Effect<ReadonlyArray<FileProblem>>
}

export class ArtifactStore extends Context.Tag("pipeline/ArtifactStore")<ArtifactStore, ArtifactStoreService>() {}
