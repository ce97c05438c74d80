/**
 * What to do with one stage, given what is known of its inputs: reuse a committed artifact, resume
 * from committed chunks, or run — with the reasons. Shared by `plan` (before anything runs) and
 * the scheduler (when the stage's inputs are final), so both always agree.
 */
import { Effect, Option } from "effect"
import type { LedgerError } from "../errors.js"
import { RunLedger, type ArtifactRecord, type KeyMaterial } from "../services/run-ledger.js"
import { describeChanges } from "./reasons.js"

export type StageAction =
  | { readonly _tag: "Reuse"; readonly cacheKey: string; readonly material: KeyMaterial; readonly artifact: ArtifactRecord }
  | {
      readonly _tag: "Resume"
      readonly cacheKey: string
      readonly material: KeyMaterial
      readonly committedChunks: number
      readonly reasons: ReadonlyArray<string>
    }
  | {
      readonly _tag: "Run"
      /** Null while an input is still to be rebuilt: the key is known only once it is. */
      readonly cacheKey: string | null
      readonly material: KeyMaterial | null
      readonly reasons: ReadonlyArray<string>
    }
  | { readonly _tag: "Skip"; readonly reason: string }

export const decideAction = (
  stageId: string,
  material: KeyMaterial,
  cacheKey: string,
  forced: boolean
): Effect.Effect<StageAction, LedgerError, RunLedger> =>
  Effect.gen(function* () {
    const ledger = yield* RunLedger
    if (forced) return { _tag: "Run", cacheKey, material, reasons: ["forced"] } as const
    const committed = yield* ledger.findArtifact(stageId, cacheKey)
    if (Option.isSome(committed)) {
      return { _tag: "Reuse", cacheKey, material, artifact: committed.value } as const
    }
    const chunks = yield* ledger.checkpoints(stageId, cacheKey)
    const latest = yield* ledger.latestArtifact(stageId)
    const reasons = Option.match(latest, {
      onNone: () => ["never ran"],
      onSome: (artifact) => {
        const changes = describeChanges(artifact.keyMaterial, material)
        return changes.length > 0 ? changes : ["no committed artifact for this key"]
      }
    })
    if (chunks.length > 0) {
      return {
        _tag: "Resume",
        cacheKey,
        material,
        committedChunks: chunks.length,
        reasons: [`an earlier run committed ${chunks.length} chunk${chunks.length === 1 ? "" : "s"}`, ...reasons]
      } as const
    }
    return { _tag: "Run", cacheKey, material, reasons } as const
  })

export const actionLabel = (action: StageAction): string => {
  switch (action._tag) {
    case "Reuse":
      return "reuse"
    case "Resume":
      return `resume at chunk ${action.committedChunks}`
    case "Run":
      return "run"
    case "Skip":
      return "skip"
  }
}
