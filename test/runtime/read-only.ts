/** Making a directory read-only for the length of a test, as root or not. */
import { execFileSync } from "node:child_process"
import { mkdirSync, rmSync } from "node:fs"

/**
 * Runs `use` while `dir` cannot be written: a read-only bind mount when root (root ignores
 * permission bits), the write bits removed otherwise. The mount or the bits are undone after.
 */
export const whileReadOnly = async <A>(dir: string, use: (view: string) => Promise<A>): Promise<A> => {
  if (process.getuid?.() === 0) {
    const view = `${dir}-ro`
    mkdirSync(view)
    execFileSync("mount", ["--bind", dir, view])
    try {
      execFileSync("mount", ["-o", "remount,ro,bind", view])
      return await use(view)
    } finally {
      execFileSync("umount", [view])
      rmSync(view, { recursive: true })
    }
  }
  execFileSync("chmod", ["-R", "a-w", dir])
  try {
    return await use(dir)
  } finally {
    execFileSync("chmod", ["-R", "u+w", dir])
  }
}
