/**
 * The Python side of `bench/faiss.ts`: the same FAISS operations through Debian's python3-faiss
 * (/usr/bin/python3, not a pyenv python without faiss), on the same data files, timed inside
 * Python so that process start and file loading are not counted.
 */
import { spawnSync } from "node:child_process"

export const PYTHON = "/usr/bin/python3"

const script = String.raw`
import json, sys, time
import numpy as np
import faiss
a = json.loads(sys.argv[1])
d = a["dim"]
x = np.fromfile(a["x"], dtype=np.float32).reshape(-1, d)
q = np.fromfile(a["q"], dtype=np.float32).reshape(-1, d)
out = {"version": faiss.__version__, "threads": faiss.omp_get_max_threads()}
def timed(f):
    t = time.perf_counter(); r = f(); return r, time.perf_counter() - t
def kmeans(max_pts):
    km = faiss.Kmeans(d, a["k"], niter=a["niter"], seed=1234, max_points_per_centroid=max_pts)
    km.train(x)
    D, I = km.index.search(x, 1)
    return km.obj[-1]
for name, max_pts in (("kmeans", 256), ("kmeansAll", 2**31 - 1)):
    if name in a["ops"]:
        obj, t = timed(lambda: kmeans(max_pts)); out[name] = {"s": t, "objective": float(obj)}
def recall(I, gt, k):
    return float(np.mean([len(set(I[i]) & set(gt[i])) / k for i in range(len(gt))]))
if "flat" in a["ops"]:
    flat = faiss.IndexFlatIP(d); flat.add(x)
    (D, I), t = timed(lambda: flat.search(q, 10)); out["flat"] = {"s": t}
def ann(name, factory, rows, param, values):
    xs = x[:rows]
    gt = faiss.IndexFlatIP(d); gt.add(xs); _, GT = gt.search(q, 10)
    idx = faiss.index_factory(d, factory, faiss.METRIC_INNER_PRODUCT)
    t = time.perf_counter(); idx.train(xs); idx.add(xs); build = time.perf_counter() - t
    ps = faiss.ParameterSpace()
    for v in values:
        ps.set_index_parameter(idx, param, v)
        (D, I), s = timed(lambda: idx.search(q, 10))
        r = recall(I, GT, 10)
        if r >= 0.95 or v == values[-1]:
            out[name] = {"build": build, "param": v, "recall": r, "qps": len(q) / s}
            return
if "hnsw" in a["ops"]:
    ann("hnsw", "HNSW32", a["hnswRows"], "efSearch", a["efValues"])
if "ivf" in a["ops"]:
    ann("ivf", a["ivfFactory"], a["rows"], "nprobe", a["nprobeValues"])
print(json.dumps(out))
`

export interface PythonArgs {
  readonly dim: number
  readonly x: string
  readonly q: string
  readonly k: number
  readonly niter: number
  readonly rows: number
  readonly hnswRows: number
  readonly ivfFactory: string
  readonly efValues: ReadonlyArray<number>
  readonly nprobeValues: ReadonlyArray<number>
  readonly ops: ReadonlyArray<string>
}

/** Runs the script; returns its JSON result, or an error message when python3-faiss is missing. */
export const runPython = (args: PythonArgs): Record<string, unknown> | string => {
  const r = spawnSync(PYTHON, ["-c", script, JSON.stringify(args)], { encoding: "utf8", maxBuffer: 1 << 24 })
  if (r.status !== 0) return `python3-faiss failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr.trim().split("\n").pop() ?? ""}`
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>
}
