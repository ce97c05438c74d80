/**
 * Why an export failed: the one error of src/export. The message names the file or directory and
 * what was wrong with it (a target that is not empty, a directory that cannot be written, a full
 * disk, a source file of the wrong size), and says what to do where there is something to do.
 */
import { Data } from "effect"

export class ExportError extends Data.TaggedError("ExportError")<{ readonly message: string }> {}

/** A message for a failed file operation on `path`, the full disk and permissions named as such. */
export const describeIoFailure = (action: string, path: string, cause: unknown): string => {
  const code = (cause as { code?: unknown } | null)?.code
  const reason =
    code === "ENOSPC" || code === "EDQUOT"
      ? "the disk is full"
      : code === "EFBIG"
        ? "the file is larger than this process may write (the disk is full or a file size limit, ulimit -f, is set)"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : code === "EROFS"
            ? "the file system is read-only"
            : code === "ENOTDIR"
              ? "a part of the path is a file, not a directory"
              : cause instanceof Error
                ? cause.message
                : String(cause)
  return `cannot ${action} ${path}: ${reason}`
}
