import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ArtifactStore } from "../../../src/runtime/services/artifact-store.js"
import { ArtifactStoreFs } from "../../../src/layers/artifact-store/fs-artifact-store.js"

const sha256 = (data: Uint8Array | string): string => createHash("sha256").update(data).digest("hex")

const KEY = "0123456789abcdef0123456789abcdef"

describe("ArtifactStoreFs", () => {
  it.scoped("creates a stage directory named by the stage and the key's first 16 chars", () =>
    Effect.gen(function* () {
      const store = yield* ArtifactStore
      const dir = yield* store.stageDir("clusters", KEY)
      expect(dir).toBe(join(store.root, "stages", "clusters", "0123456789abcdef"))
      expect(existsSync(dir)).toBe(true)
      // Idempotent, and keeps what is inside.
      writeFileSync(join(dir, "keep"), "x")
      expect(yield* store.stageDir("clusters", KEY)).toBe(dir)
      expect(readdirSync(dir)).toEqual(["keep"])
    }).pipe(Effect.provide(ArtifactStoreFs.temp))
  )

  it.scoped("resets a stage directory to empty, leaving other keys alone", () =>
    Effect.gen(function* () {
      const store = yield* ArtifactStore
      const dir = yield* store.stageDir("clusters", KEY)
      const other = yield* store.stageDir("clusters", "ffff000000000000aaaa")
      mkdirSync(join(dir, "sub"))
      writeFileSync(join(dir, "sub", "old"), "x")
      writeFileSync(join(other, "other"), "y")
      expect(yield* store.resetStageDir("clusters", KEY)).toBe(dir)
      expect(readdirSync(dir)).toEqual([])
      expect(readdirSync(other)).toEqual(["other"])
    }).pipe(Effect.provide(ArtifactStoreFs.temp))
  )

  it.scoped("refuses stage ids that would escape the store", () =>
    Effect.gen(function* () {
      const store = yield* ArtifactStore
      for (const bad of ["..", "a/b", "", "a\\b"]) {
        const error = yield* Effect.flip(store.stageDir(bad, KEY))
        expect(error._tag).toBe("ArtifactStoreError")
      }
      expect((yield* Effect.flip(store.stageDir("ok", "../../etc"))).message).toContain("cache key")
    }).pipe(Effect.provide(ArtifactStoreFs.temp))
  )

  it.scoped("writes files whole, returns their sha256 and leaves no temporary files", () =>
    Effect.gen(function* () {
      const store = yield* ArtifactStore
      const path = join(store.root, "deep", "er", "data.bin")
      const bytes = new Uint8Array([0, 1, 2, 250, 255])
      expect(yield* store.writeFile(path, bytes)).toBe(sha256(bytes))
      expect([...readFileSync(path)]).toEqual([...bytes])

      // Overwrite with text: utf-8 bytes, digest of those bytes.
      expect(yield* store.writeFile(path, "olá")).toBe(sha256(Buffer.from("olá", "utf8")))
      expect(readFileSync(path, "utf8")).toBe("olá")
      expect(readdirSync(join(store.root, "deep", "er"))).toEqual(["data.bin"])
    }).pipe(Effect.provide(ArtifactStoreFs.temp))
  )

  it.scoped("fails a write it cannot finish without touching the target or leaving a temp file", () =>
    Effect.gen(function* () {
      const store = yield* ArtifactStore
      const dir = yield* store.stageDir("s", KEY)
      const target = join(dir, "occupied")
      mkdirSync(target) // renaming a file over a directory fails
      writeFileSync(join(target, "inside"), "keep")
      const error = yield* Effect.flip(store.writeFile(target, "new"))
      expect(error._tag).toBe("ArtifactStoreError")
      expect(error.path).toBe(target)
      expect(readdirSync(dir)).toEqual(["occupied"])
      expect(readFileSync(join(target, "inside"), "utf8")).toBe("keep")
    }).pipe(Effect.provide(ArtifactStoreFs.temp))
  )

  it.scoped("digests files larger than one read block the same as hashing them whole", () =>
    Effect.gen(function* () {
      const store = yield* ArtifactStore
      const bytes = new Uint8Array(3 * 1024 * 1024 + 12_345)
      let x = 12345
      for (let i = 0; i < bytes.length; i++) {
        x = (x * 1103515245 + 12345) >>> 0
        bytes[i] = x >>> 24
      }
      const path = join(store.root, "big.bin")
      const written = yield* store.writeFile(path, bytes)
      expect(yield* store.digestFile(path)).toBe(sha256(bytes))
      expect(written).toBe(sha256(bytes))

      const empty = join(store.root, "empty")
      writeFileSync(empty, "")
      expect(yield* store.digestFile(empty)).toBe(sha256(""))

      const missing = yield* Effect.flip(store.digestFile(join(store.root, "missing")))
      expect(missing._tag).toBe("ArtifactStoreError")
      expect(missing.message).toContain("missing")
    }).pipe(Effect.provide(ArtifactStoreFs.temp))
  )

  it.scoped("tells whether a path exists", () =>
    Effect.gen(function* () {
      const store = yield* ArtifactStore
      const path = join(store.root, "x")
      expect(yield* store.exists(path)).toBe(false)
      yield* store.writeFile(path, "1")
      expect(yield* store.exists(path)).toBe(true)
    }).pipe(Effect.provide(ArtifactStoreFs.temp))
  )

  it.effect("removes the temporary store when its scope closes", () =>
    Effect.gen(function* () {
      const root = yield* Effect.scoped(
        Effect.gen(function* () {
          const store = yield* ArtifactStore
          yield* store.writeFile(join(store.root, "a", "b"), "x")
          expect(existsSync(store.root)).toBe(true)
          return store.root
        }).pipe(Effect.provide(ArtifactStoreFs.temp))
      )
      expect(existsSync(root)).toBe(false)
    })
  )

  it.scoped("roots the product store at the given directory", () =>
    Effect.gen(function* () {
      const temp = yield* ArtifactStore
      const root = join(temp.root, "out", "full")
      const dir = yield* Effect.flatMap(ArtifactStore, (s) => s.stageDir("vectors", KEY)).pipe(
        Effect.provide(ArtifactStoreFs.layer(root))
      )
      expect(dir).toBe(join(root, "stages", "vectors", KEY.slice(0, 16)))
      expect(existsSync(dir)).toBe(true)
    }).pipe(Effect.provide(ArtifactStoreFs.temp))
  )
})
