/**
 * Where the worker script is. Workers run plain JS, so the script is always the built one:
 * `<package root>/dist/layers/workers/worker-main.js`, with the package root found by walking up
 * from this module to the nearest package.json. That works from vitest (this file under src/) and
 * from dist alike.
 */
import { existsSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

export const findPackageRoot = (from: string = dirname(fileURLToPath(import.meta.url))): string | null => {
  let dir = from
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir
    const parent = dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}

/** The worker script path, or an error message saying how to get it. */
export const workerScriptPath = (): { readonly path: string } | { readonly error: string } => {
  const root = findPackageRoot()
  if (root === null) return { error: "cannot find the package root (no package.json above the worker pool module)" }
  const path = join(root, "dist", "layers", "workers", "worker-main.js")
  if (!existsSync(path)) {
    return { error: `worker script ${path} is missing; run \`npm run build\` to build dist/ (npm test does it first)` }
  }
  return { path }
}
