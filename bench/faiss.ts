/**
 * `npm run bench -- faiss [--rows=N] [--hnsw-rows=N] [--k=N] [--niter=N] [--queries=N] [--no-python]`
 *
 * The FAISS bench, through our binding and through Debian's python3-faiss on the same data
 * in the same run, side by side (ratio = ours / python for times, python / ours for QPS: above 1
 * means we are slower). Defaults: k-means 1,000,000 x 128, k = 1,000 (default subsampling of 256
 * points per centroid, then all points); flat inner-product search of 1,000 queries, k = 10; HNSW32
 * on the first 200,000 rows; IVF{sqrt(rows)},Flat on all rows; each ANN index at the smallest
 * efSearch / nprobe reaching recall@10 >= 0.95 against exact search. Data: a seeded Gaussian
 * mixture (2,000 centres), L2-normalised like embeddings, written once to a temp dir.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createRequire } from "node:module"
import { addonPath, type NativeAddon, type NativeIndex } from "../src/layers/faiss/native-binding.js"
import { runPython } from "./faiss-python.js"
import { uniformSource } from "../src/domain/random/index.js"

/** `--name=N` (or `--name N`, which bench/index.ts would also take for a bench name). */
const flag = (args: ReadonlyArray<string>, name: string, fallback: number): number => {
  const eq = args.find((a) => a.startsWith(`${name}=`))
  if (eq !== undefined) return Number(eq.slice(name.length + 1))
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback
}

const mulberry = uniformSource

/** n normalised rows: a random centre out of `centres` plus Gaussian noise. */
const mixture = (n: number, d: number, centres: Float32Array, seed: number): Float32Array => {
  const r = mulberry(seed)
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r())
  const nc = centres.length / d
  const x = new Float32Array(n * d)
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * nc)
    let norm = 0
    for (let j = 0; j < d; j++) {
      const v = centres[c * d + j]! + 0.25 * gauss()
      x[i * d + j] = v
      norm += v * v
    }
    norm = Math.sqrt(norm)
    for (let j = 0; j < d; j++) x[i * d + j] = x[i * d + j]! / norm
  }
  return x
}

const recall = (labels: BigInt64Array, truth: BigInt64Array, k: number) => {
  let hits = 0
  for (let q = 0; q < truth.length / k; q++) {
    const want = new Set(truth.subarray(q * k, q * k + k))
    for (let j = 0; j < k; j++) if (want.has(labels[q * k + j]!)) hits++
  }
  return hits / truth.length
}

const seconds = async <A>(f: () => Promise<A>): Promise<[A, number]> => {
  const t = performance.now()
  const a = await f()
  return [a, (performance.now() - t) / 1000]
}

interface AnnFigures {
  readonly build: number
  readonly param: number
  readonly recall: number
  readonly qps: number
}

const annBench = async (
  addon: NativeAddon,
  factory: string,
  x: Float32Array,
  q: Float32Array,
  d: number,
  param: string,
  values: ReadonlyArray<number>
): Promise<AnnFigures> => {
  const gt = new addon.Index(d, "Flat", "ip")
  await gt.add(x)
  const truth = (await gt.search(q, 10)).labels
  gt.dispose()
  const index: NativeIndex = new addon.Index(d, factory, "ip")
  try {
    const [, build] = await seconds(async () => {
      await index.train(x)
      await index.add(x)
    })
    for (const v of values) {
      index.setParameter(param, v)
      const [r, s] = await seconds(() => index.search(q, 10))
      const rec = recall(r.labels, truth, 10)
      if (rec >= 0.95 || v === values[values.length - 1]) return { build, param: v, recall: rec, qps: q.length / d / s }
    }
    throw new Error("unreachable")
  } finally {
    index.dispose()
  }
}

export const main = async (args: ReadonlyArray<string>): Promise<void> => {
  const rows = flag(args, "--rows", 1_000_000)
  const hnswRows = Math.min(rows, flag(args, "--hnsw-rows", 200_000))
  const k = flag(args, "--k", 1000)
  const niter = flag(args, "--niter", 20)
  const nq = flag(args, "--queries", 1000)
  const d = 128
  const python = !args.includes("--no-python")
  const nlist = 2 ** Math.round(Math.log2(Math.sqrt(rows)))
  const ivfFactory = `IVF${nlist},Flat`
  const efValues = [16, 32, 64, 128, 256, 384, 512, 768, 1024]
  const nprobeValues = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].filter((v) => v <= nlist)

  const path = addonPath()
  if (path === undefined) throw new Error("no package root found for the FAISS addon")
  const addon = createRequire(import.meta.url)(path) as NativeAddon
  console.log(`FAISS ${addon.faissVersion}, ${addon.getThreads()} OpenMP threads; rows ${rows} x ${d}, k ${k}, niter ${niter}`)

  const centresRng = mulberry(7)
  const centres = Float32Array.from({ length: 2000 * d }, () => centresRng() * 2 - 1)
  const x = mixture(rows, d, centres, 1)
  const q = mixture(nq, d, centres, 2)
  const dir = mkdtempSync(join(tmpdir(), "faiss-bench-"))
  const xPath = join(dir, "x.bin")
  const qPath = join(dir, "q.bin")
  writeFileSync(xPath, x)
  writeFileSync(qPath, q)

  try {
    const ours: Record<string, number> = {}
    const notes: Array<string> = []
    const [km, tKm] = await seconds(() => addon.kmeans(x, { d, k, niter, seed: 1234 }))
    ours["kmeans (subsampled 256/centroid), s"] = tKm
    notes.push(`ours kmeans objective ${km.objective[km.objective.length - 1]!.toFixed(1)}`)
    const [kmAll, tKmAll] = await seconds(() => addon.kmeans(x, { d, k, niter, seed: 1234, maxPointsPerCentroid: 2 ** 31 - 1 }))
    ours["kmeans (all points), s"] = tKmAll
    notes.push(`ours kmeans-all objective ${kmAll.objective[kmAll.objective.length - 1]!.toFixed(1)}`)

    const flat = new addon.Index(d, "Flat", "ip")
    await flat.add(x)
    const [, tFlat] = await seconds(() => flat.search(q, 10))
    flat.dispose()
    ours[`flat IP search ${nq} q, k=10, s`] = tFlat

    const hnsw = await annBench(addon, "HNSW32", x.subarray(0, hnswRows * d), q, d, "efSearch", efValues)
    ours[`HNSW32 build (${hnswRows} rows), s`] = hnsw.build
    ours[`HNSW32 QPS @ efSearch ${hnsw.param} (recall ${hnsw.recall.toFixed(3)})`] = hnsw.qps
    const ivf = await annBench(addon, ivfFactory, x, q, d, "nprobe", nprobeValues)
    ours[`${ivfFactory} train+add, s`] = ivf.build
    ours[`${ivfFactory} QPS @ nprobe ${ivf.param} (recall ${ivf.recall.toFixed(3)})`] = ivf.qps

    const py = python
      ? runPython({
          dim: d, x: xPath, q: qPath, k, niter, rows, hnswRows, ivfFactory, efValues, nprobeValues,
          ops: ["kmeans", "kmeansAll", "flat", "hnsw", "ivf"]
        })
      : "skipped (--no-python)"
    const get = (path: ReadonlyArray<string>): number | undefined => {
      let v: unknown = py
      for (const p of path) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[p] : undefined
      return typeof v === "number" ? v : undefined
    }
    const pyFigures: ReadonlyArray<number | undefined> = [
      get(["kmeans", "s"]),
      get(["kmeansAll", "s"]),
      get(["flat", "s"]),
      get(["hnsw", "build"]),
      get(["hnsw", "qps"]),
      get(["ivf", "build"]),
      get(["ivf", "qps"])
    ]
    const isQps = (label: string) => label.includes("QPS")
    console.log(`\n${"operation".padEnd(52)} ${"ours".padStart(10)} ${"python".padStart(10)} ${"ratio".padStart(7)}`)
    Object.entries(ours).forEach(([label, value], i) => {
      const p = pyFigures[i]
      const ratio = p === undefined ? "" : (isQps(label) ? p / value : value / p).toFixed(3)
      const fmt = (v: number | undefined) => (v === undefined ? "-" : isQps(label) ? v.toFixed(0) : v.toFixed(3))
      console.log(`${label.padEnd(52)} ${fmt(value).padStart(10)} ${fmt(p).padStart(10)} ${ratio.padStart(7)}`)
    })
    console.log("\nratio: ours/python for times, python/ours for QPS (above 1: ours slower)")
    if (typeof py === "string") console.log(`python: ${py}`)
    else {
      console.log(`python: faiss ${String(py["version"])}, ${String(py["threads"])} threads; ` +
        `kmeans objective ${get(["kmeans", "objective"])?.toFixed(1)}, kmeans-all ${get(["kmeansAll", "objective"])?.toFixed(1)}; ` +
        `HNSW efSearch ${get(["hnsw", "param"])} recall ${get(["hnsw", "recall"])?.toFixed(3)}; IVF nprobe ${get(["ivf", "param"])} recall ${get(["ivf", "recall"])?.toFixed(3)}`)
    }
    for (const n of notes) console.log(n)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
