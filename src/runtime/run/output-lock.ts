/**
 * The output directory's lock: one writer (`pipeline run`, `pipeline gc`, `runPipeline`) or any
 * number of readers (`pipeline serve`), never both. Without it two runs into one directory fail
 * with SQLite "disk I/O error" or "UNIQUE constraint failed", and a run may delete what a server
 * is serving.
 *
 * Protocol: every holder creates its own marker file under `<outputDir>/.lock/` (a unique name,
 * written aside with an exclusive create and renamed into place, JSON `{pid, host, command, startedAt}`) and only then looks for the markers of
 * the other side (any other marker for a writer; writer markers for a reader). Because each side
 * writes before it looks, two processes racing for the directory can at worst both give up, never
 * both go on. A marker whose pid is dead on this host is stale (the process was killed before it
 * could remove it) and is deleted; deleting it is safe, since its unique name is never written
 * again. A marker from another host (a shared file system) cannot be checked: it is reported with
 * the file to delete if that process is gone.
 *
 * Markers are removed when the scope closes (success, failure, interruption) and, as a last resort,
 * on process exit (a second Ctrl-C exits at once).
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs"
import { hostname } from "node:os"
import { join } from "node:path"
import { randomBytes } from "node:crypto"
import { Data, Effect, type Scope } from "effect"
import { isPidAlive } from "../../layers/ledger/pid-alive.js"

/** Who holds (or held) an output directory, as its marker file says. */
export interface LockHolder {
  readonly pid: number
  readonly host: string
  /** What holds it, e.g. `pipeline run`, `pipeline serve`, `runPipeline`. */
  readonly command: string
  /** ISO time the hold began. */
  readonly startedAt: string
  /** `writer` (run, gc) or `reader` (serve). */
  readonly role: LockRole
  /** The marker file. */
  readonly file: string
}

export type LockRole = "writer" | "reader"

/** The output directory is held by another live process; `holder` says which. Exit code 1 in the CLI. */
export class OutputDirLocked extends Data.TaggedError("OutputDirLocked")<{
  readonly dir: string
  readonly holder: LockHolder
  readonly message: string
}> {}

/** The lock itself could not be taken (the directory is not writable, a marker cannot be created). */
export class OutputLockError extends Data.TaggedError("OutputLockError")<{
  readonly dir: string
  readonly message: string
  readonly cause?: unknown
}> {}

/** The lock's folder inside an output directory. */
export const lockDirOf = (outputDir: string): string => join(outputDir, ".lock")

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code

/** A file system that refuses writes: a reader goes on without a marker (nothing can write there either). */
const isUnwritable = (error: unknown): boolean => {
  const code = errnoOf(error)
  return code === "EROFS" || code === "EACCES" || code === "EPERM"
}

/** Removes a file if it is there; a failure to (a read-only store) leaves it, as a stale marker at worst. */
const removeQuietly = (file: string): void => {
  try {
    rmSync(file, { force: true })
  } catch {
    // Left behind: its pid dies with this process, so the next holder takes it over.
  }
}

const pad = (n: number): string => String(n).padStart(2, "0")

/** Local time, `YYYY-MM-DD HH:MM:SS`, for messages. */
const localTime = (iso: string): string => {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** The message for a directory held by `holder`, from the point of view of a would-be `role`. */
export const lockedMessage = (dir: string, holder: LockHolder, role: LockRole): string => {
  const who = `\`${holder.command}\` (pid ${holder.pid} on host ${holder.host}, since ${localTime(holder.startedAt)})`
  const what =
    holder.role === "reader"
      ? `${who} is reading it, and a run or gc must not change what is being served`
      : `${who} holds it`
  const remote =
    holder.host === hostname()
      ? ""
      : `; that host's processes cannot be checked from here: if it has ended, delete ${holder.file}`
  const advice =
    holder.role === "reader" && role === "writer"
      ? "stop it or use another output directory (--set layers.store.dir=...)"
      : "wait for it to end or use another output directory (--set layers.store.dir=...)"
  return `${dir} is in use: ${what}${remote}; ${advice}`
}

/** The marker's holder, or undefined when it is unreadable (being written, or garbage: not a holder). */
const readMarker = (file: string, role: LockRole): LockHolder | undefined => {
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as Partial<Record<keyof LockHolder, unknown>>
    if (typeof data.pid !== "number" || typeof data.host !== "string") return undefined
    return {
      pid: data.pid,
      host: data.host,
      command: typeof data.command === "string" ? data.command : "unknown",
      startedAt: typeof data.startedAt === "string" ? data.startedAt : "",
      role,
      file
    }
  } catch {
    return undefined
  }
}

const roleOfName = (name: string): LockRole | undefined =>
  name.startsWith("writer-") && name.endsWith(".json") ? "writer" : name.startsWith("reader-") && name.endsWith(".json") ? "reader" : undefined

/**
 * The live markers of other holders that `role` conflicts with; stale ones (dead pid on this host)
 * are deleted on the way. Markers appear whole (written aside, then renamed into place), so one
 * that cannot be parsed is not a holder's.
 */
const conflicting = (lockDir: string, own: string, role: LockRole): ReadonlyArray<LockHolder> => {
  const here = hostname()
  const found: Array<LockHolder> = []
  for (const name of readdirSync(lockDir)) {
    const otherRole = roleOfName(name)
    if (otherRole === undefined || name === own) continue
    if (role === "reader" && otherRole === "reader") continue
    const file = join(lockDir, name)
    const holder = readMarker(file, otherRole)
    if (holder === undefined) continue
    if (holder.host === here && !isPidAlive(holder.pid)) {
      removeQuietly(file)
      continue
    }
    found.push(holder)
  }
  return found
}

/** Markers this process holds, removed on exit if their scope never closed (a second Ctrl-C). */
const held = new Set<string>()
let exitHookInstalled = false
const installExitHook = (): void => {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on("exit", () => {
    for (const file of held) removeQuietly(file)
  })
}

const acquire = (dir: string, command: string, role: LockRole): Effect.Effect<string | null, OutputDirLocked | OutputLockError> =>
  Effect.suspend((): Effect.Effect<string | null, OutputDirLocked | OutputLockError> => {
    const lockDir = lockDirOf(dir)
    const name = `${role}-${process.pid}-${randomBytes(4).toString("hex")}.json`
    const file = join(lockDir, name)
    const marker = JSON.stringify({ pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString() })
    // Written aside and renamed into place, so another process never reads a half-written marker.
    const temp = join(lockDir, `.${name}.tmp`)
    try {
      mkdirSync(lockDir, { recursive: true })
      const fd = openSync(temp, "wx")
      try {
        writeSync(fd, marker)
      } finally {
        closeSync(fd)
      }
      renameSync(temp, file)
    } catch (error) {
      removeQuietly(temp)
      removeQuietly(file)
      // A read-only store: nobody can change it, so a reader needs no marker.
      if (role === "reader" && isUnwritable(error)) return Effect.succeed(null)
      if (isUnwritable(error)) {
        return Effect.fail(
          new OutputLockError({
            dir,
            message: `${dir} cannot be written (${errnoOf(error)}): \`${command}\` changes the output directory, so it needs a writable one; plan, runs and show work on a read-only store`,
            cause: error
          })
        )
      }
      return Effect.fail(
        new OutputLockError({ dir, message: `cannot lock ${dir} (${file}): ${error instanceof Error ? error.message : String(error)}`, cause: error })
      )
    }
    let others: ReadonlyArray<LockHolder>
    try {
      others = conflicting(lockDir, name, role)
    } catch (error) {
      removeQuietly(file)
      return Effect.fail(new OutputLockError({ dir, message: `cannot read the locks of ${dir}: ${String(error)}`, cause: error }))
    }
    if (others.length > 0) {
      removeQuietly(file)
      // A writer is the more telling holder to name (it is what changes the directory).
      const holder = others.find((h) => h.role === "writer") ?? others[0]!
      return Effect.fail(new OutputDirLocked({ dir, holder, message: lockedMessage(dir, holder, role) }))
    }
    held.add(file)
    installExitHook()
    return Effect.succeed(file)
  })

const release = (file: string | null): Effect.Effect<void> =>
  Effect.sync(() => {
    if (file === null) return
    held.delete(file)
    removeQuietly(file)
  })

/**
 * Holds `dir` exclusively for the current scope: no other writer and no reader may hold it. For
 * whatever changes the output directory (`pipeline run`, `pipeline gc`, `runPipeline`). Fails
 * with {@link OutputDirLocked} (naming the holder's command, pid, host and start time) when another
 * live process holds it; stale markers of dead processes are taken over.
 */
export const holdWriterLock = (dir: string, command: string): Effect.Effect<void, OutputDirLocked | OutputLockError, Scope.Scope> =>
  Effect.asVoid(Effect.acquireRelease(acquire(dir, command, "writer"), release))

/**
 * Holds `dir` for reading for the current scope: other readers may too, no writer may. For
 * `pipeline serve`, so that a run never deletes or rewrites what is being served. On a read-only
 * store (the marker cannot be created: EROFS, EACCES) it holds nothing and succeeds: nothing can
 * change that directory anyway.
 */
export const holdReaderLock = (dir: string, command: string): Effect.Effect<void, OutputDirLocked | OutputLockError, Scope.Scope> =>
  Effect.asVoid(Effect.acquireRelease(acquire(dir, command, "reader"), release))
