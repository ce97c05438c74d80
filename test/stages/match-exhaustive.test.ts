/**
 * The exhaustive top as a stage of its own: two evaluations of the same profiles take it as an
 * input, so it runs once per run and a rerun reuses it (the runtime's cache does the sharing that a
 * per-process memo used to); its result is the domain's exhaustive top of the seeded sample; a
 * change to its config reruns it and the evaluations after it, not the data stages.
 */
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { DEFAULT_MATCH_CONFIG, encodeProfileCodes, topMatchesEncoded } from "../../src/domain/matching/index.js"
import { type ExhaustiveTopDescriptor, readExhaustiveTop } from "../../src/artifacts/exhaustive-top.js"
import { type ProfileTableDescriptor, readProfileCodes } from "../../src/artifacts/profile-table.js"
import { FaissNative } from "../../src/layers/faiss/index.js"
import type { Faiss } from "../../src/services/faiss.js"
import type { Sqlite } from "../../src/services/sqlite.js"
import type { WorkerPool } from "../../src/services/worker-pool.js"
import { makeRegistry } from "../../src/runtime/registry.js"
import { dataKinds } from "../../src/stages/profiles/data-kinds.js"
import { matchEvalExact } from "../../src/stages/profiles/match-eval.js"
import { sampleRows } from "../../src/stages/profiles/match-evaluate.js"
import { matchExhaustive } from "../../src/stages/profiles/match-exhaustive.js"
import { artifactOf, dataServices } from "../layers/workers/data-pipeline.js"
import { memoryLedger, outcomes, runPipelineWith, tempDir, writePipeline } from "../runtime/harness.js"

const registry = makeRegistry<Faiss | Sqlite | WorkerPool>([...dataKinds, matchExhaustive, matchEvalExact])

const pipeline = (top: number) => `
pipeline: exhaustive
layers: { store: { dir: $OUT } }
stages:
  profiles: { uses: generate-profiles, with: { count: 2500, chunkSize: 1000, seed: 3 } }
  emb-a: { uses: embeddings, needs: [profiles], with: { dim: 16, mode: attributes } }
  emb-r: { uses: embeddings, needs: [profiles], with: { dim: 16, mode: seed-random } }
  exhaustive: { uses: match-exhaustive, inputs: { profiles: profiles }, with: { origins: 25, top: ${top} } }
  eval-a: { uses: match-eval-exact, inputs: { profiles: profiles, embeddings: emb-a, exhaustive: exhaustive }, with: { candidates: 40 } }
  eval-r: { uses: match-eval-exact, inputs: { profiles: profiles, embeddings: emb-r, exhaustive: exhaustive }, with: { candidates: 40 } }
`

const services = Layer.merge(dataServices("inline"), FaissNative)

describe("match-exhaustive", () => {
  it.live("runs once for two evaluations, is reused by a rerun, and reruns alone when its config changes", () =>
    Effect.gen(function* () {
      const dir = tempDir("match-exhaustive-")
      const ledger = memoryLedger()
      const run = (top: number) => runPipelineWith(writePipeline(dir, pipeline(top)), { ledger, registry, services, concurrency: 2 })

      const first = yield* run(10)
      expect(outcomes(first)).toEqual({
        profiles: "succeeded",
        "emb-a": "succeeded",
        "emb-r": "succeeded",
        exhaustive: "succeeded",
        "eval-a": "succeeded",
        "eval-r": "succeeded"
      })
      const exhaustive = yield* artifactOf<ExhaustiveTopDescriptor>(ledger, "exhaustive", join(dir, "out"))
      const profiles = yield* artifactOf<ProfileTableDescriptor>(ledger, "profiles", join(dir, "out"))

      // The domain's exhaustive top of the seeded sample.
      const file = yield* readExhaustiveTop(exhaustive)
      expect(file.origins).toEqual(sampleRows(2500, 25, 42))
      const enc = encodeProfileCodes(yield* readProfileCodes(profiles), profiles.rows)
      file.origins.forEach((origin, i) => {
        const expected = topMatchesEncoded(enc, origin, DEFAULT_MATCH_CONFIG, 10).matches
        expect(file.tops[i]).toEqual({ rows: expected.map((m) => m.row), scores: expected.map((m) => m.score) })
      })

      const again = yield* run(10)
      expect(outcomes(again)).toMatchObject({ exhaustive: "reused", "eval-a": "reused", "eval-r": "reused" })

      const changed = yield* run(5)
      expect(outcomes(changed)).toMatchObject({ profiles: "reused", "emb-a": "reused", exhaustive: "succeeded", "eval-a": "succeeded", "eval-r": "succeeded" })
      const smaller = yield* artifactOf<ExhaustiveTopDescriptor>(ledger, "exhaustive", join(dir, "out"))
      expect(smaller.top).toBe(5)
      expect(smaller.digest).not.toBe(exhaustive.digest)
    })
  )
})
