/** `json-summary` (an example kind): a small JSON document of figures. */
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { type ArtifactOf, defineArtifactKind } from "../../runtime/artifact.js"
import type { ArtifactStoreError, StageError } from "../../runtime/errors.js"
import { ArtifactStore } from "../../runtime/services/artifact-store.js"
import { readTextFile } from "../text-file.js"

export const JsonSummary = defineArtifactKind("json-summary", "a small JSON document of figures", {
  path: Schema.String
})

/** A JsonSummary descriptor. */
export type JsonSummaryDescriptor = ArtifactOf<typeof JsonSummary>

/**
 * Writes `value` as `<workDir>/<name>`, followed by a newline; `indent` as for JSON.stringify
 * (pretty for people, none for compact figures).
 */
export const writeJsonSummary = (
  workDir: string,
  name: string,
  value: unknown,
  indent?: number
): Effect.Effect<JsonSummaryDescriptor, ArtifactStoreError, ArtifactStore> =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const path = join(workDir, name)
    const digest = yield* store.writeFile(path, `${JSON.stringify(value, null, indent)}\n`)
    return { kind: "json-summary" as const, path, digest }
  })

/** The summary's JSON text, as written. */
export const readJsonSummaryText = (summary: Pick<JsonSummaryDescriptor, "path">): Effect.Effect<string, StageError> =>
  readTextFile(summary.path, "JSON summary")
