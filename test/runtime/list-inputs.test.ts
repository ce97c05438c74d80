/**
 * List inputs (`many`): wired by an explicit list (kept in that order) or by every needed stage of
 * the artifact kind; checked for kinds and emptiness; run with the descriptors in order; and part
 * of the cache key in that order.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { defineArtifactKind } from "../../src/runtime/artifact.js"
import { makeRegistry } from "../../src/runtime/registry.js"
import type { StageRegistry } from "../../src/runtime/registry.js"
import { loadPipeline } from "../../src/runtime/spec/load.js"
import { defineStageKind, field, inputList } from "../../src/runtime/stage-kind.js"
import { ArtifactStore } from "../../src/runtime/services/artifact-store.js"
import { join } from "node:path"
import { readFileSync } from "node:fs"
import { memoryLedger, outcomes, runPipeline, tempDir, writePipeline } from "./harness.js"

const Word = defineArtifactKind("word", "one word in a file", { path: Schema.String, word: Schema.String })
const Other = defineArtifactKind("other", "not a word", {})

const word = defineStageKind({
  name: "word",
  version: 1,
  description: "writes a word",
  config: Schema.Struct({ word: field(Schema.String, "w", "the word") }),
  inputs: {},
  output: Word,
  run: ({ config, workDir }) =>
    Effect.gen(function* () {
      const path = join(workDir, "word.txt")
      const digest = yield* (yield* ArtifactStore).writeFile(path, config.word)
      return { kind: "word" as const, path, word: config.word, digest }
    })
})

const other = defineStageKind({
  name: "other",
  version: 1,
  description: "not a word",
  config: Schema.Struct({}),
  inputs: {},
  output: Other,
  run: () => Effect.succeed({ kind: "other" as const, digest: "0" })
})

const sentence = defineStageKind({
  name: "sentence",
  version: 1,
  description: "joins words in input order",
  config: Schema.Struct({}),
  inputs: { words: inputList(Word, "the words, in order") },
  output: Word,
  run: ({ inputs, workDir }) =>
    Effect.gen(function* () {
      const text = inputs.words.map((w) => w.word).join(" ")
      const path = join(workDir, "sentence.txt")
      const digest = yield* (yield* ArtifactStore).writeFile(path, text)
      return { kind: "word" as const, path, word: text, digest }
    })
})

const shout = defineStageKind({
  name: "shout",
  version: 1,
  description: "one word, louder",
  config: Schema.Struct({}),
  inputs: { word: { artifact: Word, description: "one word" } },
  output: Other,
  run: () => Effect.succeed({ kind: "other" as const, digest: "0" })
})

const registry = makeRegistry([word, other, sentence, shout]) as StageRegistry<never>

const yaml = (wiring: string) => `
pipeline: lists
layers: { store: { dir: $OUT } }
stages:
  a: { uses: word, with: { word: hello } }
  b: { uses: word, with: { word: big } }
  c: { uses: word, with: { word: world } }
  o: { uses: other }
  s: { uses: sentence, ${wiring} }
`

const issues = (wiring: string) =>
  loadPipeline({ file: writePipeline(tempDir(), yaml(wiring)), registry: registry as StageRegistry<unknown>, configDir: tempDir() }).pipe(
    Effect.flip,
    Effect.map((e) => e.issues.map((i) => `${i.path}: ${i.message}`))
  )

describe("list inputs", () => {
  it.live("run with the listed stages' descriptors in the listed order; the order is in the cache key", () =>
    Effect.gen(function* () {
      const ledger = memoryLedger()
      const file = writePipeline(tempDir(), yaml("inputs: { words: [a, c, b] }"))
      const report = yield* runPipeline(file, { ledger, registry })
      expect(outcomes(report)["s"]).toBe("succeeded")
      const s = report.stages.find((x) => x.id === "s")!
      expect(readFileSync((s.artifact as unknown as { path: string }).path, "utf8")).toBe("hello world big")
      const again = yield* runPipeline(file, { ledger, registry })
      expect(outcomes(again)["s"]).toBe("reused")
      const reordered = yield* runPipeline(writePipeline(tempDir(), yaml("inputs: { words: [c, a, b] }")), { ledger, registry })
      expect(outcomes(reordered)["s"]).toBe("succeeded")
    })
  )

  it.live("wire every needed stage of the artifact kind, in needs order, when not listed", () =>
    Effect.gen(function* () {
      const spec = yield* loadPipeline({
        file: writePipeline(tempDir(), yaml("needs: [c, o, a]")),
        registry: registry as StageRegistry<unknown>,
        configDir: tempDir()
      })
      expect(spec.stages.find((s) => s.id === "s")!.inputLists).toEqual({ words: ["c", "a"] })
    })
  )

  it.live("report a wrong kind, an unknown stage, an empty list and a list given to a single input", () =>
    Effect.gen(function* () {
      expect(yield* issues("inputs: { words: [a, o] }")).toEqual([
        "stages.s.inputs.words: input 'words' expects artifact 'word' but stage 'o' (kind other) produces 'other'"
      ])
      expect((yield* issues("inputs: { words: [a, zz] }"))[0]).toContain("unknown stage 'zz' wired to input 'words'")
      expect(yield* issues("inputs: { words: [] }")).toEqual([
        "stages.s.inputs.words: list input 'words' of kind sentence needs at least one stage producing 'word'"
      ])
      expect((yield* issues("needs: [o]"))[0]).toContain("list input 'words' (artifact 'word') of kind sentence is not wired")
      expect(yield* issues("needs: [a] }\n  t: { uses: shout, inputs: { word: [a, b] }")).toEqual([
        "stages.t.inputs.word: input 'word' of kind shout takes one stage, found a list of 2"
      ])
    })
  )
})
