/**
 * Where an export goes, made safe: everything is written into a temporary directory beside the
 * target (`.NAME.partial-PID-N`, same file system) and renamed to the target name only once every
 * file is complete, so a failure (a full disk, a bad source file, Ctrl-C) leaves the target as it
 * was and nothing half-written under its name; the temporary directory is removed on the way out.
 *
 * The target must not exist, or be an empty directory, or `overwrite` must be set (then the old
 * directory is moved aside when the new one is complete, and removed).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs"
import { basename, dirname, join, resolve } from "node:path"
import { Effect, type Scope } from "effect"
import { describeIoFailure, ExportError } from "./export-error.js"

export interface ExportTarget {
  /** The directory asked for, absolute. */
  readonly dir: string
  /** Where the files are written until `commit`. */
  readonly staging: string
  /** Moves the staging directory to `dir` (replacing what `overwrite` allowed to replace). */
  readonly commit: Effect.Effect<void, ExportError>
}

let sequence = 0

/** Entries of `dir`, or undefined when it does not exist; fails when it is not a directory. */
const entriesOf = (dir: string): Effect.Effect<ReadonlyArray<string> | undefined, ExportError> =>
  Effect.try({
    try: () => {
      if (!existsSync(dir)) return undefined
      if (!statSync(dir).isDirectory()) throw new ExportError({ message: `${dir} exists and is not a directory` })
      return readdirSync(dir)
    },
    catch: (cause) => (cause instanceof ExportError ? cause : new ExportError({ message: describeIoFailure("read", dir, cause) }))
  })

/** Checks the target, makes the staging directory (removed when `Scope` closes, unless committed). */
export const prepareTarget = (target: string, overwrite: boolean): Effect.Effect<ExportTarget, ExportError, Scope.Scope> =>
  Effect.gen(function* () {
    const dir = resolve(target)
    const existing = yield* entriesOf(dir)
    if (existing !== undefined && existing.length > 0 && !overwrite) {
      const some = existing.slice(0, 3).join(", ")
      return yield* new ExportError({
        message: `${dir} exists and is not empty (${existing.length} entries: ${some}${existing.length > 3 ? ", ..." : ""}); choose another directory or pass --overwrite to replace it`
      })
    }
    const parent = dirname(dir)
    const staging = join(parent, `.${basename(dir)}.partial-${process.pid}-${++sequence}`)
    yield* Effect.acquireRelease(
      Effect.try({
        try: () => {
          mkdirSync(parent, { recursive: true })
          mkdirSync(staging)
        },
        catch: (cause) => new ExportError({ message: describeIoFailure("write to", parent, cause) })
      }),
      // Gone after a commit (renamed); otherwise nothing of a failed export is left.
      () => Effect.sync(() => rmSync(staging, { recursive: true, force: true }))
    )
    const commit = Effect.try({
      try: () => {
        if (existsSync(dir)) {
          const old = join(parent, `.${basename(dir)}.old-${process.pid}-${++sequence}`)
          renameSync(dir, old)
          renameSync(staging, dir)
          rmSync(old, { recursive: true, force: true })
        } else {
          renameSync(staging, dir)
        }
      },
      catch: (cause) => new ExportError({ message: describeIoFailure("move the export into", dir, cause) })
    })
    return { dir, staging, commit }
  })
