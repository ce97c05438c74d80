/**
 * What to do with one stage, given what is known of its inputs: reuse a committed artifact, resume
 * from committed chunks, or run — with the reasons. Shared by `plan` (before anything runs) and
 * the scheduler (when the stage's inputs are final), so both always agree.
 */
import { Effect, Option } from "effect"
import { descriptorFromStore } from "../artifact-paths.js"
import type { LedgerError } from "../errors.js"
import { ArtifactStore, type FileProblem } from "../services/artifact-store.js"
import { RunLedger, type ArtifactRecord, type AttemptRecord, type KeyMaterial } from "../services/run-ledger.js"
import { describeChanges } from "./reasons.js"

export type StageAction =
  | {
      readonly _tag: "Reuse"
      readonly cacheKey: string
      readonly material: KeyMaterial
      readonly artifact: ArtifactRecord
      /**
       * Planned stages whose damaged artifacts will be rebuilt and are assumed to come out with the
       * bytes they had (the planner's only assumption; the scheduler decides again with real digests).
       */
      readonly assuming?: ReadonlyArray<string>
    }
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
      /**
       * The digest the output had when it was committed, for a stage run again only because its
       * files are damaged: a deterministic stage rebuilds the same bytes, so `plan` can look past it.
       */
      readonly expectedDigest?: string
    }
  | { readonly _tag: "Skip"; readonly reason: string }

/** How the last try with this very key ended, when it did not commit: `failed in run R: ...`. */
const lastAttemptReason = (attempt: AttemptRecord): string => {
  const error = attempt.error === null ? "" : `: ${attempt.error.length > 120 ? `${attempt.error.slice(0, 119)}…` : attempt.error}`
  switch (attempt.status) {
    case "running":
      return `running in run ${attempt.runId}`
    case "succeeded":
      return `succeeded in run ${attempt.runId} but its artifact is not committed`
    default:
      return `${attempt.status} in run ${attempt.runId}${error}`
  }
}

/** The first problems with recorded files, then a count: `stages/x/…/f.bin is missing (and 2 more)`. */
export const listFileProblems = (problems: ReadonlyArray<FileProblem>): string => {
  const shown = problems.slice(0, 2).map((p) => `${p.path} ${p.detail}`)
  const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : ""
  return `${shown.join("; ")}${more}`
}

/** Why a committed artifact's files cannot be trusted (plan's reason, serve's message). */
export const describeFileProblems = (problems: ReadonlyArray<FileProblem>): string =>
  `its committed files failed their check: ${listFileProblems(problems)}`

/**
 * Whether a committed artifact can be reused as it is on disk now: `null` when it can, else why
 * not. An artifact committed before files were recorded is never trusted.
 */
const untrustedReason = (artifact: ArtifactRecord): Effect.Effect<string | null, never, ArtifactStore> =>
  Effect.gen(function* () {
    if (artifact.files === null) return "it was committed by an older version that recorded no file checks"
    const store = yield* ArtifactStore
    const problems = yield* store.checkFiles(artifact.files, "quick")
    return problems.length === 0 ? null : describeFileProblems(problems)
  })

export const decideAction = (
  stageId: string,
  material: KeyMaterial,
  cacheKey: string,
  forced: boolean
): Effect.Effect<StageAction, LedgerError, RunLedger | ArtifactStore> =>
  Effect.gen(function* () {
    const ledger = yield* RunLedger
    const store = yield* ArtifactStore
    if (forced) return { _tag: "Run", cacheKey, material, reasons: ["forced"] } as const
    const committed = yield* ledger.findArtifact(stageId, cacheKey)
    if (Option.isSome(committed)) {
      const untrusted = yield* untrustedReason(committed.value)
      // Reused only when its files are as committed. Otherwise it runs from scratch: its chunk
      // records were cleared at commit, and the new commit replaces this record.
      if (untrusted !== null) {
        return { _tag: "Run", cacheKey, material, reasons: [untrusted], expectedDigest: committed.value.digest } as const
      }
      const artifact = { ...committed.value, descriptor: descriptorFromStore(store.root, committed.value.descriptor) }
      return { _tag: "Reuse", cacheKey, material, artifact } as const
    }
    const chunks = yield* ledger.checkpoints(stageId, cacheKey)
    const latest = yield* ledger.latestArtifact(stageId)
    const lastTry = yield* ledger.latestAttempt(stageId, cacheKey)
    // The last try with this very key, when it ended without committing, says more than "never
    // ran" or a config diff alone: the user sees that the stage failed and where to look.
    const lastTryReason = Option.map(lastTry, lastAttemptReason)
    const reasons = Option.match(latest, {
      onNone: () => [Option.getOrElse(lastTryReason, () => "never ran")],
      onSome: (artifact) => {
        const changes = describeChanges(artifact.keyMaterial, material)
        const base = changes.length > 0 ? changes : ["no committed artifact for this key"]
        return Option.match(lastTryReason, { onNone: () => base, onSome: (reason) => [...base, reason] })
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
