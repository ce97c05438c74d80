#!/usr/bin/env node
/**
 * The package's `prepare` script: `npm run build` (tsc to dist/), unless dist/ was built from these
 * very inputs. npm runs `prepare` on every `npm ci` and, in a checkout, on every `npx pipeline`
 * with a fresh npm cache (npm installs the checkout into its npx cache to link the package's own
 * bin, and runs its lifecycle scripts); a full tsc build is 12-25 s on 2 cores, an unchanged
 * checkout needs none. `npm run build` itself always builds.
 *
 *   node scripts/build-if-changed.mjs   build when the inputs changed since the last build
 */
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
// Inside dist/: removing dist/ removes the record of having built it.
const stampFile = join(root, "dist", ".build-inputs.sha256")

/** sha256 over what dist/ is a function of: src/, the tsconfigs and the locked dependencies (tsc's version included). */
const inputsDigest = () => {
  const hash = createHash("sha256")
  const files = ["tsconfig.json", "tsconfig.build.json", "package-lock.json"].map((f) => join(root, f))
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else files.push(path)
    }
  }
  walk(join(root, "src"))
  for (const file of files) {
    hash.update(relative(root, file)).update("\0")
    if (existsSync(file)) hash.update(readFileSync(file))
    hash.update("\0")
  }
  return hash.digest("hex")
}

const want = inputsDigest()
if (existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === want && existsSync(join(root, "dist", "main.js"))) {
  console.log("build: dist/ already built from these sources; not rebuilt")
  process.exit(0)
}
const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" })
if (build.status !== 0) process.exit(build.status ?? 1)
writeFileSync(stampFile, `${want}\n`)
