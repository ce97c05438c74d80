/**
 * Errors of the runtime and of stages. Every failure travels in Effect's error channel as a tagged
 * class, so callers can `catchTag` the ones they handle and the CLI can map each to an exit code.
 */
import * as Data from "effect/Data" // not the barrel: `pipeline --help` loads this module (cli/main.ts)

/** One problem found in a pipeline file or in the command-line overrides applied to it. */
export interface SpecIssue {
  /** File the problem is in, or `--set` / `--profile` for command-line input. */
  readonly file: string
  /** 1-based line and column; 0 when the input has no position (e.g. a missing file). */
  readonly line: number
  readonly column: number
  /** Dotted path inside the document, e.g. `stages.clusters.with.k`; empty for the whole file. */
  readonly path: string
  /** What was wrong, what was expected and found, and a did-you-mean where one exists. */
  readonly message: string
}

/** The pipeline file, a profile, or an override is invalid. Exit code 2. */
export class PipelineInvalid extends Data.TaggedError("PipelineInvalid")<{
  readonly issues: ReadonlyArray<SpecIssue>
}> {
  override get message(): string {
    return this.issues.map(formatIssue).join("\n")
  }
}

export const formatIssue = (issue: SpecIssue): string => {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file
  const path = issue.path === "" ? "" : ` ${issue.path}:`
  return `${where}:${path} ${issue.message}`
}

/** Command-line usage error (unknown verb or flag, missing argument). Exit code 2. */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

/**
 * A stage failed. Stages decide whether retrying can help: a lost lock or a flaky device is
 * `retryable`, a bad config value is not. Only retryable errors are retried by the scheduler.
 */
export class StageError extends Data.TaggedError("StageError")<{
  readonly message: string
  readonly retryable: boolean
  readonly cause?: unknown
}> {
  /** A non-retryable failure: the same input will fail the same way (bad config, corrupt data). */
  static fatal(message: string, cause?: unknown): StageError {
    return new StageError(cause === undefined ? { message, retryable: false } : { message, retryable: false, cause })
  }

  /** A failure a retry may fix (a lost lock, a full disk freed since, a flaky device). */
  static retryable(message: string, cause?: unknown): StageError {
    return new StageError(cause === undefined ? { message, retryable: true } : { message, retryable: true, cause })
  }

  /**
   * Wraps whatever a step failed or threw with: `context: <its message>`, the original kept as
   * `cause`. For `Effect.mapError(StageError.wrap("kmeans: FAISS k-means failed"))`.
   */
  static wrap(context: string, retryable = false): (cause: unknown) => StageError {
    return (cause) => new StageError({ message: `${context}: ${messageOf(cause)}`, retryable, cause })
  }
}

/** The message of anything thrown or failed with: an Error's or a tagged error's `message`, else its text. */
export const messageOf = (cause: unknown): string =>
  typeof cause === "object" && cause !== null && typeof (cause as { message?: unknown }).message === "string"
    ? (cause as { message: string }).message
    : String(cause)

/**
 * Whether an error is a StageError, by its tag. Never `instanceof`: a user's module may load a
 * second copy of this package, whose StageError is another class with the same tag.
 */
export const isStageError = (error: unknown): error is StageError =>
  typeof error === "object" && error !== null && (error as { _tag?: unknown })._tag === "StageError"

/** A stage ran longer than its `timeout`. Not retried: a stage that timed out once will again. */
export class StageTimeout extends Data.TaggedError("StageTimeout")<{
  readonly stage: string
  readonly timeoutMs: number
}> {
  override get message(): string {
    return `stage ${this.stage} timed out after ${this.timeoutMs} ms`
  }
}

/** The run ledger could not be read or written. */
export class LedgerError extends Data.TaggedError("LedgerError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

/** The artifact store could not read, write or digest a file. */
export class ArtifactStoreError extends Data.TaggedError("ArtifactStoreError")<{
  readonly message: string
  readonly path: string
  readonly cause?: unknown
}> {}

/** A run could not start or finish for a reason outside any one stage (selection, missing inputs). */
export class RunError extends Data.TaggedError("RunError")<{ readonly message: string }> {}
