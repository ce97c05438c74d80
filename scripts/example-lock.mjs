#!/usr/bin/env node
/**
 * Writes the package-lock.json of a copy of the example project whose `effect-pipelines`
 * dependency is a packed tarball, from this repository's own lockfile: the example's packages are a
 * subset of ours, at the same versions and places, so `npm ci --offline` installs them from npm's
 * cache alone (npm cannot resolve versions offline without a lockfile: that needs the registry).
 *
 *   node scripts/example-lock.mjs PROJECT_DIR TARBALL
 */
import { createHash } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"
import { basename, dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const [projectDir, tarball] = process.argv.slice(2)
if (projectDir === undefined || tarball === undefined) {
  console.error("usage: example-lock.mjs PROJECT_DIR TARBALL")
  process.exit(2)
}
const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const ours = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"))
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
const projectFile = join(projectDir, "package.json")
const project = JSON.parse(readFileSync(projectFile, "utf8"))
const tarballRef = `file:${relative(projectDir, tarball)}`
project.dependencies["effect-pipelines"] = tarballRef
writeFileSync(projectFile, `${JSON.stringify(project, null, 2)}\n`)

const packages = ours.packages
/** Where Node finds `name` from the package at `from` (a lockfile key): the nearest node_modules up. */
const locate = (from, name) => {
  for (let dir = from; ; dir = dir.includes("/node_modules/") ? dir.slice(0, dir.lastIndexOf("/node_modules/")) : "") {
    const key = dir === "" ? `node_modules/${name}` : `${dir}/node_modules/${name}`
    if (key in packages) return key
    if (dir === "") return undefined
  }
}

const needed = new Set()
const visit = (from, deps) => {
  for (const name of Object.keys(deps ?? {})) {
    const key = locate(from, name)
    if (key === undefined || needed.has(key)) continue
    needed.add(key)
    const entry = packages[key]
    visit(key, entry.dependencies)
    visit(key, entry.optionalDependencies)
    for (const [peer, _] of Object.entries(entry.peerDependencies ?? {})) {
      if (entry.peerDependenciesMeta?.[peer]?.optional !== true) visit(key, { [peer]: _ })
    }
  }
}
const { "effect-pipelines": _self, ...projectDeps } = project.dependencies
visit("", projectDeps)
visit("", project.devDependencies)
visit("", manifest.dependencies)

const integrity = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`
const lock = {
  name: project.name,
  version: project.version,
  lockfileVersion: 3,
  requires: true,
  packages: {
    "": {
      name: project.name,
      version: project.version,
      dependencies: project.dependencies,
      devDependencies: project.devDependencies
    },
    "node_modules/effect-pipelines": {
      version: manifest.version,
      resolved: tarballRef,
      integrity,
      hasInstallScript: true,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines
    }
  }
}
for (const key of [...needed].sort()) {
  const { dev: _dev, devOptional: _devOptional, ...entry } = packages[key]
  lock.packages[key] = entry
}
writeFileSync(join(projectDir, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`)
console.log(`example-lock: ${needed.size + 1} packages locked for ${basename(projectDir)} (effect-pipelines from ${basename(tarball)})`)
