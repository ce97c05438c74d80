/**
 * Factory strings are checked by FAISS's own parser without data: the binding's synchronous
 * `checkFactory` (null or FAISS's whole message, what is wrong first), the numbers FAISS would
 * divide by or assert on (a 0) rejected before FAISS sees them, the service face's check over a
 * few dimensions, the reference parser's answer, and `pipeline validate`'s loader rejecting a bad
 * `factory:` of ann-index at its line with the whole message.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { checkDimensions, checkFactory, describeFactoryProblem, Faiss, FaissNative } from "../../../src/layers/faiss/index.js"
import { loadAddonSync } from "../../../src/layers/faiss/native-binding.js"
import { factoryProblem } from "../../../src/layers/faiss/reference/factory.js"
import { FaissError } from "../../../src/layers/faiss/errors.js"
import { makeRegistry } from "../../../src/runtime/registry.js"
import { loadPipeline } from "../../../src/runtime/spec/load.js"
import { annIndex, annIndexClustered } from "../../../src/stages/profiles/ann-index.js"
import { ClusterAssignment } from "../../../src/artifacts/cluster-assignment.js"
import { VectorMatrix } from "../../../src/artifacts/vector-matrix.js"
import { defineStageKind } from "../../../src/runtime/stage-kind.js"

/** Inputs for the index kinds; only loaded, never run. */
const source = defineStageKind({
  name: "test-source",
  version: 1,
  description: "a vector matrix and its clusters (tests only; never run)",
  config: Schema.Struct({}),
  inputs: {},
  output: VectorMatrix,
  run: () => Effect.die("not run")
})
const clusters = defineStageKind({
  name: "test-clusters",
  version: 1,
  description: "clusters (tests only; never run)",
  config: Schema.Struct({}),
  inputs: {},
  output: ClusterAssignment,
  run: () => Effect.die("not run")
})

const addon = () => {
  const loaded = loadAddonSync()
  if (loaded instanceof FaissError) throw new Error(loaded.message)
  return loaded
}

describe("binding checkFactory", () => {
  it("accepts what FAISS builds and returns FAISS's whole message, what is wrong first, for what it does not", () => {
    const native = addon()
    for (const good of ["IVF16,PQ8", "HNSW32", "Flat", "IDMap,HNSW32", "IVF64,SQ8", "OPQ16_64,IVF256,PQ16"]) {
      expect(native.checkFactory(128, good, "l2"), good).toBeNull()
      expect(native.checkFactory(128, good, "ip"), good).toBeNull()
    }
    const message = native.checkFactory(128, "HNSW32x", "l2")
    expect(message).not.toBeNull()
    const [first, ...rest] = message!.split("\n")
    expect(first).toBe('Index: cannot build "HNSW32x": could not parse index string HNSW32x')
    // FAISS's location is kept, after what is wrong.
    expect(rest.join("\n")).toMatch(/^\(FAISS: in .*index_factory_sub.* at .*index_factory\.cpp:\d+\)$/)
    expect(native.checkFactory(64, "PQ7", "l2")).toContain("'d % M == 0' failed: The dimension of the vector (d) should be a multiple")
  })

  it("rejects a 0 or an oversized number before FAISS sees it (PQ0 is a SIGFPE inside FAISS)", () => {
    const native = addon()
    expect(native.checkFactory(128, "PQ0", "l2")).toContain('every number in a factory string must be positive; "PQ0" has 0 at character 3')
    for (const bad of ["HNSW32,PQ0", "IVF0,Flat", "HNSW0", "PQ8x0", "IVF16_HNSW0,Flat"]) {
      expect(native.checkFactory(128, bad, "l2"), bad).toContain("must be positive")
    }
    expect(native.checkFactory(128, "IVF99999999999,Flat", "l2")).toContain("is too large")
    expect(() => new native.Index(64, "PQ0", "l2")).toThrow(/must be positive/)
  })

  it.effect("createIndex fails with the whole message too", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const faiss = yield* Faiss
        const error = yield* Effect.flip(faiss.createIndex({ dim: 32, factory: "PQ7", metric: "l2" }))
        expect(error).toMatchObject({ _tag: "FaissError", reason: "invalid-argument" })
        expect(error.message).toMatch(/^Index: cannot build "PQ7": .*'d % M == 0' failed.*\n\(FAISS: in .*\)$/)
        // Outside the shared grammar: refused before FAISS sees it, naming the component.
        const typo = yield* Effect.flip(faiss.createIndex({ dim: 32, factory: "HNSW32x", metric: "l2" }))
        expect(typo.message).toContain('component "HNSW32x" is not one of')
      })
    ).pipe(Effect.provide(FaissNative))
  )
})

describe("checkFactory (service face)", () => {
  it("tries 128 and the lcm of the string's small numbers: PQ7 is valid at some dimension, PCA64,PQ7 at none", () => {
    expect(checkDimensions("HNSW32")).toEqual([128, 32])
    expect(checkDimensions("IVF4096,PQ7")).toEqual([128, 7])
    expect(checkDimensions("Flat")).toEqual([128])
    expect(checkFactory("IVF16,PQ8")).toEqual({ by: "faiss", dimensions: [128], problem: undefined })
    expect(checkFactory("IVF4096,PQ7")).toEqual({ by: "faiss", dimensions: [128, 7], problem: undefined })
    const bad = checkFactory("PCA64,PQ7")
    expect(bad.problem).toContain("'d % M == 0' failed")
    expect(describeFactoryProblem("PCA64,PQ7", bad)?.split("\n")[0]).toContain("(tried at dimension 128 and 448;")
    const typo = checkFactory("IDMap,HNSW32x")
    expect(typo.by).toBe("grammar")
    expect(describeFactoryProblem("HNSW32x", typo)?.split("\n")[0]).toContain('FAISS cannot build "HNSW32x": could not parse index string IDMap,HNSW32x: component "HNSW32x"')
  })

  it("the reference parser answers when the addon is not built", () => {
    expect(factoryProblem("HNSW32")).toBeUndefined()
    expect(factoryProblem("IVF16,PQ8")).toBeUndefined()
    expect(factoryProblem("HNSW32x")).toContain('could not parse index string HNSW32x: component "HNSW32x"')
    expect(factoryProblem("IVF0,Flat")).toBe('component "IVF0": nlist = 0 must be in [1, 1048576]')
  })
})

describe("pipeline validate checks factory strings", () => {
  const registry = makeRegistry<unknown>([source, clusters, annIndex, annIndexClustered])
  const pipeline = (factory: string) => `pipeline: factories
stages:
  index:
    uses: ann-index
    with:
      metric: ip
      factory: ${factory}
    inputs: { embeddings: vectors }
  vectors: { uses: test-source }
  kmeans: { uses: test-clusters }
  clustered:
    uses: ann-index-clustered
    inputs: { embeddings: vectors, clusters: kmeans }
    with: { onMissedTarget: warn }
`
  const load = (factory: string) =>
    Effect.either(loadPipeline({ registry, file: "factories.yaml", text: pipeline(factory), configDir: "/nonexistent-config" }))

  it.effect("a bad factory is an issue at its line and column with FAISS's whole message", () =>
    Effect.gen(function* () {
      const result = yield* load("HNSW32x")
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isRight(result)) return
      const issues = result.left.issues.filter((i) => i.path === "stages.index.with.factory")
      expect(issues).toHaveLength(1)
      const issue = issues[0]!
      expect(issue).toMatchObject({ file: "factories.yaml", line: 7, column: 16 })
      const [first, ...rest] = issue.message.split("\n")
      expect(first).toContain('FAISS cannot build "HNSW32x": could not parse index string IDMap,HNSW32x: component "HNSW32x"')
      expect(rest).toEqual([])
      // The only issue: onMissedTarget on the clustered kind is a known field.
      expect(result.left.issues).toHaveLength(1)
    })
  )

  it.effect("good factories and auto load", () =>
    Effect.gen(function* () {
      for (const factory of ["IVF16,PQ8", "HNSW32", "Flat", "auto", '"IVF256,PQ32"']) {
        const result = yield* load(factory)
        expect(Either.isRight(result), `${factory}: ${Either.isLeft(result) ? result.left.message : ""}`).toBe(true)
      }
    })
  )
})
