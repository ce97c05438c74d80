/**
 * The HTML template of the report, read at run time from `src/stages/profiles/templates/` under the
 * package root. The root is found by walking up from this module to the nearest package.json, so
 * the same lookup works from `src/` (tsx, vitest) and from `dist/src/` (the build): the template is
 * read from the source tree in both cases and the build need not copy it.
 */
import { existsSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { StageError } from "../../runtime/errors.js"

export const TEMPLATE_RELATIVE_PATH = join("src", "stages", "profiles", "templates", "report.html")

/** The nearest directory at or above `from` holding a package.json. */
export const packageRoot = (from: string = dirname(fileURLToPath(import.meta.url))): string => {
  let dir = from
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir
    const parent = dirname(dir)
    if (parent === dir) return from
    dir = parent
  }
}

export const templatePath = (): string => join(packageRoot(), TEMPLATE_RELATIVE_PATH)

export const readTemplate = Effect.suspend(() => {
  const path = templatePath()
  return Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (cause) => new StageError({ message: `cannot read the report template ${path}`, retryable: false, cause })
  })
})
