/**
 * The package's root directory, for files read at run time from the source tree (the report's
 * template, the dashboard's assets). Found by walking up from this module to the nearest
 * package.json, so the same lookup works from `src/` (tsx, vitest) and from `dist/src/` (the
 * build): the build need not copy those files.
 */
import { existsSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/** The nearest directory at or above `from` holding a package.json, or null. */
export const findPackageRoot = (from: string = dirname(fileURLToPath(import.meta.url))): string | null => {
  let dir = from
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir
    const parent = dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}

/** The nearest directory at or above `from` holding a package.json (`from` itself if none does). */
export const packageRoot = (from: string = dirname(fileURLToPath(import.meta.url))): string => findPackageRoot(from) ?? from
