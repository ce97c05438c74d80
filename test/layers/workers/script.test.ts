/** The worker script is found from the package root, and its absence is a clear error. */
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "vitest"
import { findPackageRoot } from "../../../src/runtime/package-root.js"
import { workerScriptPath } from "../../../src/layers/workers/worker-script.js"

describe("worker script", () => {
  it("resolves <package root>/dist/layers/workers/worker-main.js from src", () => {
    const root = resolve(import.meta.dirname, "../../..")
    expect(findPackageRoot()).toBe(root)
    const script = workerScriptPath()
    const expected = join(root, "dist", "layers", "workers", "worker-main.js")
    if (existsSync(expected)) expect(script).toEqual({ path: expected })
    else expect("error" in script && script.error).toMatch(/npm run build/)
  })

  it("no package.json above a directory: null", () => {
    expect(findPackageRoot("/")).toBeNull()
  })
})
