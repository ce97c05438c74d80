/**
 * Where the thread scripts are. Threads run plain JS, so a script is always the built one, e.g.
 * `<package root>/dist/layers/workers/worker-main.js`, with the package root found by walking up
 * from this module to the nearest package.json. That works from vitest (this file under src/) and
 * from dist alike.
 */
import { existsSync } from "node:fs"
import { join } from "node:path"
import { findPackageRoot } from "../../runtime/package-root.js"

/** A built thread script's path (`dist/<segments>`), or an error message saying how to get it. */
export const builtScriptPath = (...segments: ReadonlyArray<string>): { readonly path: string } | { readonly error: string } => {
  const root = findPackageRoot()
  if (root === null) return { error: "cannot find the package root (no package.json above the worker modules)" }
  const path = join(root, "dist", ...segments)
  if (!existsSync(path)) {
    return { error: `thread script ${path} is missing; run \`npm run build\` to build dist/ (npm test does it first)` }
  }
  return { path }
}

/** The worker pool's script path, or an error message saying how to get it. */
export const workerScriptPath = () => builtScriptPath("layers", "workers", "worker-main.js")
