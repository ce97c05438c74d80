#!/usr/bin/env node
/**
 * The package's `install` script: builds the FAISS binding (native/faiss) with node-gyp, unless a
 * build of these very sources is already there and loads. A packed tarball ships its build
 * (build/Release/faiss_napi.node with the digest of the sources it was built from), so installing
 * it into another project rebuilds nothing; a fresh clone, changed sources, or a build that does
 * not load here (another Node ABI, missing system libraries) is built as before.
 *
 *   node scripts/install-native.mjs           build when needed
 *   node scripts/install-native.mjs --stamp   record the digest of the current sources (after a build)
 */
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const addon = join(root, "build", "Release", "faiss_napi.node")
const stampFile = join(root, "build", "Release", "faiss_napi.sources.sha256")

/** sha256 over binding.gyp, native/ and the Node ABI: what the addon is a function of. */
const sourcesDigest = () => {
  const hash = createHash("sha256").update(`abi ${process.versions.modules} faiss_home ${process.env.FAISS_HOME ?? ""}\n`)
  const files = [join(root, "binding.gyp")]
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else files.push(path)
    }
  }
  walk(join(root, "native"))
  for (const file of files) hash.update(relative(root, file)).update("\0").update(readFileSync(file))
  return hash.digest("hex")
}

if (process.argv.includes("--stamp")) {
  writeFileSync(stampFile, `${sourcesDigest()}\n`)
  process.exit(0)
}

const prebuiltUsable = () => {
  if (!existsSync(addon) || !existsSync(stampFile)) return false
  if (readFileSync(stampFile, "utf8").trim() !== sourcesDigest()) return false
  try {
    createRequire(import.meta.url)(addon)
    return true
  } catch {
    return false
  }
}

if (prebuiltUsable()) {
  console.log("faiss binding: already built from these sources and it loads; not rebuilt")
  process.exit(0)
}

const check = spawnSync(process.execPath, [join(root, "scripts", "check-faiss-deps.mjs")], { stdio: "inherit" })
if (check.status !== 0) process.exit(check.status ?? 1)

/** npm's own node-gyp: named by npm in install scripts, else the one npm ships beside this Node. */
const nodeGyp = () => {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js")
  ]
  return candidates.find((path) => path !== undefined && path !== "" && existsSync(path))
}
const gyp = nodeGyp()
// Build against the installed Node's headers, never download them (there may be no network).
const env = { ...process.env }
if ((env.npm_config_nodedir ?? "") === "" && existsSync("/usr/include/node/node_api.h")) env.npm_config_nodedir = "/usr"
const build =
  gyp === undefined
    ? spawnSync("node-gyp", ["rebuild"], { cwd: root, stdio: "inherit", env })
    : spawnSync(process.execPath, [gyp, "rebuild"], { cwd: root, stdio: "inherit", env })
if (build.error !== undefined) console.error(`faiss binding: cannot run node-gyp: ${build.error.message}`)
if (build.status !== 0) process.exit(build.status ?? 1)
writeFileSync(stampFile, `${sourcesDigest()}\n`)
