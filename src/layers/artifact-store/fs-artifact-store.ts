/**
 * The product ArtifactStore: a directory tree under the pipeline's output root. Each stage works
 * in `<root>/stages/<stageId>/<first 16 chars of the cache key>`, so outputs of different configs
 * never mix and an old key's files stay until it is reset.
 */
import { Effect, Layer } from "effect"
import { access, mkdir, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { ArtifactStoreError } from "../../runtime/errors.js"
import { ArtifactStore, type ArtifactStoreService } from "../../runtime/services/artifact-store.js"
import { writeFileAtomic } from "./atomic-write.js"
import { digestFile } from "./digest-file.js"
import { checkFiles, recordFiles } from "./file-manifest.js"

/** How much of the cache key names a stage directory: enough to never collide, short to read. */
export const STAGE_DIR_KEY_CHARS = 16

const io = <A>(what: string, path: string, f: () => Promise<A>): Effect.Effect<A, ArtifactStoreError> =>
  Effect.tryPromise({
    try: f,
    catch: (error) =>
      new ArtifactStoreError({
        message: `cannot ${what} ${path}: ${error instanceof Error ? error.message : String(error)}`,
        path,
        cause: error
      })
  })

/** One path segment: no separators, not `.`/`..`, not empty; stage ids and keys become directory names. */
const segment = (label: string, value: string, root: string): Effect.Effect<string, ArtifactStoreError> =>
  value === "" || value === "." || value === ".." || /[/\\\u0000]/.test(value)
    ? Effect.fail(
        new ArtifactStoreError({ message: `invalid ${label} ${JSON.stringify(value)} for a directory name`, path: root })
      )
    : Effect.succeed(value)

/** The store rooted at `root` (resolved to an absolute path). */
export const makeArtifactStoreFs = (root: string): ArtifactStoreService => {
  const absoluteRoot = resolve(root)

  const pathOf = (stageId: string, cacheKey: string) =>
    Effect.all([
      segment("stage id", stageId, absoluteRoot),
      segment("cache key", cacheKey.slice(0, STAGE_DIR_KEY_CHARS), absoluteRoot)
    ]).pipe(Effect.map(([stage, key]) => join(absoluteRoot, "stages", stage, key)))

  const stageDir = (stageId: string, cacheKey: string) =>
    Effect.flatMap(pathOf(stageId, cacheKey), (dir) =>
      io("create stage directory", dir, () => mkdir(dir, { recursive: true })).pipe(Effect.as(dir))
    )

  return {
    root: absoluteRoot,
    stageDir,
    resetStageDir: (stageId, cacheKey) =>
      Effect.flatMap(pathOf(stageId, cacheKey), (dir) =>
        io("remove stage directory", dir, () => rm(dir, { recursive: true, force: true })).pipe(
          Effect.zipRight(stageDir(stageId, cacheKey))
        )
      ),
    writeFile: (path, data) => io("write", path, () => writeFileAtomic(path, data)),
    digestFile: (path) => io("digest", path, () => digestFile(path)),
    recordFiles: (dir) => io("record the files of", dir, () => recordFiles(absoluteRoot, dir)),
    checkFiles: (files, depth) => Effect.promise(() => checkFiles(absoluteRoot, files, depth)),
    exists: (path) =>
      Effect.promise(() =>
        access(path).then(
          () => true,
          () => false
        )
      )
  }
}

export const ArtifactStoreFs = {
  /** The store for a pipeline's output directory, e.g. `out/full`. */
  layer: (root: string): Layer.Layer<ArtifactStore> => Layer.sync(ArtifactStore, () => makeArtifactStoreFs(root)),
  /** A store in a fresh temporary directory, removed with everything in it when the scope closes. */
  temp: Layer.scoped(
    ArtifactStore,
    Effect.acquireRelease(
      Effect.promise(() => mkdtemp(join(tmpdir(), "artifacts-"))),
      (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
    ).pipe(Effect.map(makeArtifactStoreFs))
  )
} as const
