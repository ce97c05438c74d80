#!/usr/bin/env node
/**
 * Runs before `node-gyp rebuild` at `npm install`: checks that the system FAISS the binding links
 * against is present, so a missing package fails the install with one line naming the package
 * instead of a page of compiler errors.
 *
 *   node scripts/check-faiss-deps.mjs             exit 0, or print one line and exit 1
 *   node scripts/check-faiss-deps.mjs --gpu-probe print 1 when FAISS_HOME holds a CUDA-enabled
 *                                                 FAISS (used by binding.gyp), else 0
 */
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { join } from "node:path"

const faissHome = process.env.FAISS_HOME ?? ""

if (process.argv.includes("--gpu-probe")) {
  const gpu = faissHome !== "" && existsSync(join(faissHome, "include", "faiss", "gpu", "GpuIndex.h"))
  process.stdout.write(gpu ? "1" : "0")
  process.exit(0)
}

/** Where the C++ compiler would find `name`, or undefined (g++ echoes the bare name when not found). */
const compilerFinds = (name) => {
  try {
    const found = execFileSync("g++", [`-print-file-name=${name}`], { encoding: "utf8" }).trim()
    return found !== name && existsSync(found) ? found : undefined
  } catch {
    return undefined
  }
}

const hasCompiler = (() => {
  try {
    execFileSync("g++", ["--version"], { stdio: "ignore" })
    execFileSync("make", ["--version"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
})()

const missing = []
if (!hasCompiler) missing.push("g++ make")
if (faissHome !== "") {
  if (!existsSync(join(faissHome, "include", "faiss", "Index.h"))) missing.push(`FAISS under FAISS_HOME=${faissHome}`)
} else {
  if (!existsSync("/usr/include/faiss/Clustering.h") || (hasCompiler && compilerFinds("libfaiss.a") === undefined)) {
    missing.push("libfaiss-dev")
  }
}
if (hasCompiler && compilerFinds("libopenblas.so") === undefined) missing.push("libopenblas-dev")

if (missing.length > 0) {
  const packages = [...new Set(["libfaiss-dev", "libopenblas-dev", ...missing.filter((m) => !m.startsWith("FAISS"))])]
  const home = missing.find((m) => m.startsWith("FAISS under"))
  console.error(
    home !== undefined
      ? `faiss binding: no ${home} (expected include/faiss/Index.h); unset FAISS_HOME to use Debian's: apt-get install ${packages.join(" ")}`
      : `faiss binding: missing ${missing.join(", ")}; install with: apt-get install ${packages.join(" ")}`
  )
  process.exit(1)
}
