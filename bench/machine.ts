/**
 * The machine a benchmark ran on, printed with its figures (these machines differ from one session
 * to the next): CPU model, the instruction sets that matter to the vector code, cores, memory and
 * the load when the benchmark started.
 */
import { readFileSync } from "node:fs"
import { availableParallelism, cpus, loadavg, totalmem } from "node:os"

const cpuFlags = (): ReadonlyArray<string> => {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("flags"))
    const flags = new Set(line?.split(":")[1]?.trim().split(/\s+/) ?? [])
    return ["avx2", "fma", "avx512f", "avx512bw", "avx512vl", "sha_ni"].filter((f) => flags.has(f))
  } catch {
    return []
  }
}

/** One line: `CPU: <model>, <n> cores (avx2 avx512f ...), <m> GiB; load 1.2 0.8 0.5`. */
export const machineLine = (): string => {
  const model = cpus()[0]?.model ?? "unknown CPU"
  const load = loadavg().map((l) => l.toFixed(2)).join(" ")
  return `CPU: ${model}, ${availableParallelism()} cores (${cpuFlags().join(" ") || "no AVX2"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load ${load}`
}
