/** `text-report` (an example kind): a plain-text report. */
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { type ArtifactOf, defineArtifactKind } from "../../runtime/artifact.js"
import type { ArtifactStoreError } from "../../runtime/errors.js"
import { ArtifactStore } from "../../runtime/services/artifact-store.js"

export const TextReport = defineArtifactKind("text-report", "a plain-text report", {
  path: Schema.String
})

/** A TextReport descriptor. */
export type TextReportDescriptor = ArtifactOf<typeof TextReport>

/** Writes `text` as `<workDir>/report.txt`. */
export const writeTextReport = (
  workDir: string,
  text: string
): Effect.Effect<TextReportDescriptor, ArtifactStoreError, ArtifactStore> =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const path = join(workDir, "report.txt")
    const digest = yield* store.writeFile(path, text)
    return { kind: "text-report" as const, path, digest }
  })
