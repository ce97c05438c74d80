/**
 * No input to the binding from JS ends the process. Each family of hostile inputs runs in a child
 * process (a crash there is an exit by signal, which the parent sees), straight against the raw
 * addon, and every case must end in a JS error whose message names what was wrong. Sizes are small;
 * the bounds are checked before anything large is allocated.
 */
import { describe, expect, it } from "vitest"
import { spawn } from "node:child_process"
import { addonPath } from "../../../src/layers/faiss/native-binding.js"
import { factoryGrammarProblem, FACTORY_LIMITS } from "../../../src/layers/faiss/factory-grammar.js"

/**
 * Runs `body` (async JS with `a` = the addon) in a child; resolves to its exit and the lines it
 * printed. The script goes in on stdin (a 100,000-character factory string is past the kernel's
 * limit on one argument), and the child is awaited, not waited for synchronously, so the test
 * worker keeps answering vitest while it runs.
 */
const inChild = (body: string) => {
  const prelude = `const a = require(${JSON.stringify(addonPath())});
const rnd = (n, d) => { const x = new Float32Array(n * d); for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 1000) / 1000; return x };
const expectError = async (name, f, pattern) => { try { await f(); console.log("NOERROR " + name) } catch (e) { console.log((new RegExp(pattern).test(e.message) ? "HELD " : "WRONG ") + name + " :: " + e.message.split("\\n")[0]) } };`
  return new Promise<{ status: number | null; signal: NodeJS.Signals | null; lines: Array<string>; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ["-"], { stdio: ["pipe", "pipe", "pipe"] })
      let stdout = ""
      let stderr = ""
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
      child.on("error", reject)
      child.on("close", (status, signal) =>
        resolve({ status, signal, lines: stdout.trim().split("\n").filter((l) => l !== ""), stderr })
      )
      child.stdin.end(`${prelude}\n(async () => { ${body} })()`)
    }
  )
}

const allHeld = (result: Awaited<ReturnType<typeof inChild>>, count: number) => {
  expect(result.signal, result.stderr).toBeNull()
  expect(result.status, result.stderr).toBe(0)
  expect(result.lines.filter((l) => !l.startsWith("HELD ")), result.lines.join("\n")).toEqual([])
  expect(result.lines).toHaveLength(count)
}

/** Factory strings built from families that crash or hang FAISS 1.7.3 when unchecked. */
const hostileFactories = (): ReadonlyArray<readonly [string, string]> => {
  const out: Array<readonly [string, string]> = []
  for (const n of ["0", "00", "99999999999", String(FACTORY_LIMITS.nlist + 1)]) out.push([`IVF${n},Flat`, "nlist|too large|positive"])
  for (const bits of ["0", "17", "64", "99"]) out.push([`PQ8x${bits}`, "bits|positive|x"])
  for (const m of ["0", String(FACTORY_LIMITS.hnswM + 1), "99999"]) out.push([`HNSW${m}`, "M|positive|HNSW"])
  for (const r of ["1", "4", "32"]) out.push([`NSG${r}`, "NSG"])
  out.push([`IVF4_NSG4,Flat`, "NSG"])
  out.push(["x".repeat(100_000), "at most 256 characters"])
  out.push([`${"IVF4,".repeat(60)}Flat`, "at most"])
  out.push(["PCA0,Flat", "positive|output dimension"], ["OPQ16_0,PQ8", "positive|output dimension"], ["PQ0", "positive|M"])
  return out
}

describe("the binding never ends the process", () => {
  it("factory strings outside the grammar are refused by the shared grammar and by the addon itself", async () => {
    const cases = hostileFactories()
    for (const [factory, pattern] of cases) {
      expect(factoryGrammarProblem(factory), factory.slice(0, 40)).toMatch(new RegExp(pattern))
    }
    const body = cases
      .map(([f, p], i) => `await expectError(${JSON.stringify(`case ${i}`)}, async () => { const ix = new a.Index(24, ${JSON.stringify(f)}, "l2"); await ix.add(rnd(50, 24)) }, ${JSON.stringify(p)});
const c${i} = a.checkFactory(24, ${JSON.stringify(f)}, "l2"); console.log((c${i} !== null && new RegExp(${JSON.stringify(p)}).test(c${i}) ? "HELD " : "WRONG ") + "check ${i} " + c${i});`)
      .join("\n")
    allHeld(await inChild(body), cases.length * 2)
  })

  it("search sizes and search parameters are bounded before anything is allocated", async () => {
    const body = `
const ix = new a.Index(1, "Flat", "l2"); await ix.add(rnd(10, 1));
await expectError("n*k over the bound", () => ix.search(new Float32Array(4096), 65536), "n \\\\* k");
await expectError("k huge", () => ix.search(rnd(1, 1), 2 ** 40), "search: k");
await expectError("k 0", () => ix.search(rnd(1, 1), 0), "search: k");
const h = new a.Index(8, "HNSW8", "l2"); await h.add(rnd(50, 8));
for (const v of [0, -1, 1e9, 2 ** 31, 1e15, NaN, 1.5]) await expectError("efSearch " + v, () => h.setParameter("efSearch", v), "efSearch|finite");
await expectError("unknown parameter", () => h.setParameter("bogus", 1), "unknown parameter");
const v = new a.Index(8, "IVF4,Flat", "l2");
for (const n of [0, 1e12, 2 ** 31]) await expectError("nprobe " + n, () => v.setParameter("nprobe", n), "nprobe");
await expectError("setThreads 4096", () => a.setThreads(4096), "setThreads");
const sq = new a.Index(8, "IVF4,SQ8", "l2");
await expectError("setCentroids on IVF-SQ", () => sq.setCentroids(rnd(4, 8)), "IVF<n>,Flat");
`
    allHeld(await inChild(body), 16)
  })

  it("a buffer detached before or during an async call is a JS error or a completed call, never freed memory read", async () => {
    const body = `
const ix = new a.Index(16, "IDMap,Flat", "l2"); await ix.addWithIds(rnd(100, 16), new BigInt64Array(100));
const detach = (buffer) => structuredClone(buffer, { transfer: [buffer] });
const q = rnd(2, 16); detach(q.buffer);
await expectError("search on a detached buffer", () => ix.search(q, 1), "detached");
const x = rnd(4, 16); detach(x.buffer);
await expectError("add of a detached buffer", () => ix.add(x), "detached");
// Detached while the call runs: the call read its own copy.
const big = rnd(2000, 16); const p = ix.search(big, 3); detach(big.buffer);
const r = await p; console.log(r.labels.length === 6000 ? "HELD search completed on its copy" : "WRONG " + r.labels.length);
const y = rnd(300, 16); const ids = new BigInt64Array(300); const p2 = ix.addWithIds(y, ids); detach(y.buffer); detach(ids.buffer);
await p2; console.log(ix.ntotal === 400 ? "HELD addWithIds completed on its copy" : "WRONG " + ix.ntotal);
const km = rnd(500, 4); const p3 = a.kmeans(km, { d: 4, k: 4, niter: 3 }); detach(km.buffer);
const c = await p3; console.log(c.centroids.length === 16 ? "HELD kmeans completed on its copy" : "WRONG kmeans");
const ab = new ArrayBuffer(64 * 16 * 4, { maxByteLength: 64 * 16 * 4 }); const rq = new Float32Array(ab); const p4 = ix.search(rq, 2); ab.resize(0);
const r4 = await p4; console.log(r4.labels.length === 128 ? "HELD search completed after its buffer shrank" : "WRONG " + r4.labels.length);
const shared = new Float32Array(new SharedArrayBuffer(16 * 4)); shared.set(rnd(1, 16));
const r5 = await ix.search(shared, 1); console.log(r5.labels.length === 1 ? "HELD SharedArrayBuffer read in place" : "WRONG shared");
`
    allHeld(await inChild(body), 7)
  })

  it("a corrupt or truncated index buffer is an io error naming what is wrong, never a crash at load or at the first search", async () => {
    // A few corruptions per index type, each aimed at one structural check: truncations, a header
    // ntotal that disagrees with what follows, a vector length no input could hold (refused before
    // FAISS allocates it), and per type the fields a search follows (HNSW levels, neighbour ids and
    // entry point; IVF nprobe and list sizes). Every one must be a JS error matching its pattern.
    const body = `
const make = async (f, n) => { const ix = new a.Index(16, f, "l2"); const x = rnd(n, 16); if (!ix.isTrained) await ix.train(x); if (f.startsWith("IDMap")) await ix.addWithIds(x, new BigInt64Array(n)); else await ix.add(x); return Buffer.from(await ix.toBuffer()) };
// Offsets of the vectors FAISS writes one after another (a size_t length, then the items).
const vectors = (b, at, itemSizes) => itemSizes.map((size) => { const v = { at, n: Number(b.readBigUInt64LE(at)) }; at += 8 + v.n * size; return v });
const patched = (b, f) => { const c = Buffer.from(b); f(c); return c };
const HEADER = 37; // fourcc, d, ntotal, two dummies, is_trained, metric
const NTOTAL = 8;
const cases = [];
const common = (name, b, structural) => {
  cases.push([name + " truncated to 3 bytes", b.subarray(0, 3), "read error"]);
  cases.push([name + " truncated to half", b.subarray(0, b.length >> 1), "read error|not a FAISS index|not a valid"]);
  cases.push([name + " truncated by 1 byte", b.subarray(0, b.length - 1), "read error"]);
  cases.push([name + " ntotal + 1", patched(b, (c) => c.writeBigInt64LE(c.readBigInt64LE(NTOTAL) + 1n, NTOTAL)), structural]);
};
const hnsw = await make("HNSW8", 200);
common("HNSW", hnsw, "HNSW storage disagrees");
const [, , levels, offsets, neighbours] = vectors(hnsw, HEADER, [8, 4, 4, 8, 4]);
const entryPoint = neighbours.at + 8 + neighbours.n * 4;
cases.push(["HNSW levels length flipped", patched(hnsw, (c) => c.writeBigUInt64LE(0x7fffffffn, levels.at)), "more than the [0-9]+ bytes left"]);
cases.push(["HNSW offsets length flipped", patched(hnsw, (c) => c.writeBigUInt64LE(1n << 32n, offsets.at)), "more than the [0-9]+ bytes left"]);
cases.push(["HNSW level of vector 0", patched(hnsw, (c) => c.writeInt32LE(99, levels.at + 8)), "HNSW level of vector 0"]);
cases.push(["HNSW neighbour id = ntotal", patched(hnsw, (c) => c.writeInt32LE(200, neighbours.at + 8)), "HNSW neighbour id out of range"]);
cases.push(["HNSW neighbour id negative", patched(hnsw, (c) => c.writeInt32LE(-7, neighbours.at + 8 + 4 * 17)), "HNSW neighbour id out of range"]);
cases.push(["HNSW entry point", patched(hnsw, (c) => c.writeInt32LE(1 << 30, entryPoint)), "HNSW entry point"]);
const ivf = await make("IVF8,Flat", 400);
common("IVF", ivf, "IVF list sizes disagree with ntotal");
const lists = ivf.indexOf("ilar");
if (ivf.toString("latin1", lists + 20, lists + 24) !== "full") throw new Error("IVF lists not written in full: the offsets below are wrong");
cases.push(["IVF nprobe 0", patched(ivf, (c) => c.writeBigUInt64LE(0n, HEADER + 8)), "nprobe out of range"]);
cases.push(["IVF lists code size", patched(ivf, (c) => c.writeBigUInt64LE(8n, lists + 12)), "code_size"]);
cases.push(["IVF lists nlist", patched(ivf, (c) => c.writeBigUInt64LE(9n, lists + 4)), "os == sizes.size"]);
// A list size inside the sizes vector is past the reader's reach: FAISS allocates n * code_size
// for it, which fails cleanly (bad_alloc) when it is beyond any machine's memory.
cases.push(["IVF first list size flipped", patched(ivf, (c) => c.writeBigUInt64LE(1n << 36n, lists + 32)), "implausible sizes"]);
const idmap = await make("IDMap,Flat", 50);
common("IDMap", idmap, "IDMap sizes disagree");
cases.push(["IDMap inner ntotal", patched(idmap, (c) => c.writeBigInt64LE(51n, HEADER + NTOTAL)), "codes.size"]);
cases.push(["IDMap codes length flipped", patched(idmap, (c) => c.writeBigUInt64LE(0x7fffffffn, 2 * HEADER)), "more than the [0-9]+ bytes left"]);
// Scalar quantizers (flat and IVF): a quantizer type outside FAISS's enum throws inside its
// OpenMP search (an abort), a type or dimension that disagrees with the code size or trained
// ranges is read past. The SQ8 fields at d = 16: qtype, rangestat, its argument, d, code_size, trained.
const sqAt = (b) => { const m = Buffer.alloc(24); m.writeBigUInt64LE(16n, 0); m.writeBigUInt64LE(16n, 8); m.writeBigUInt64LE(32n, 16); const i = b.indexOf(m); if (i < 0) throw new Error("SQ8 fields not found: the offsets below are wrong"); return i - 12 };
for (const [name, f] of [["SQ8", "SQ8"], ["IVF-SQ8", "IVF4,SQ8"]]) {
  const b = await make(f, 300); const q = sqAt(b);
  if (f === "SQ8") common(name, b, "codes size disagrees with ntotal");
  cases.push([name + " qtype 99", patched(b, (c) => c.writeInt32LE(99, q)), "unknown scalar quantizer type 99"]);
  cases.push([name + " qtype -1", patched(b, (c) => c.writeInt32LE(-1, q)), "unknown scalar quantizer type -1"]);
  cases.push([name + " qtype 4-bit", patched(b, (c) => c.writeInt32LE(1, q)), "sizes disagree|codes size disagrees"]);
  cases.push([name + " qtype 8-bit uniform", patched(b, (c) => c.writeInt32LE(2, q)), "scalar quantizer trained ranges"]);
  cases.push([name + " sq d", patched(b, (c) => c.writeBigUInt64LE(17n, q + 12)), "sizes disagree|codes size disagrees"]);
}
// IDMap2: FAISS rebuilds its reverse map from ntotal without checking it against id_map (a
// segfault inside read_index), so the binding reads it as an IDMap and checks it first.
const idmap2 = await make("IDMap2,HNSW8", 100);
common("IDMap2", idmap2, "IDMap sizes disagree");
cases.push(["IDMap2 ntotal + 1000", patched(idmap2, (c) => c.writeBigInt64LE(1100n, NTOTAL)), "IDMap sizes disagree"]);
cases.push(["IDMap2 inside an IDMap", patched(idmap, (c) => c.write("IxM2", HEADER, "latin1")), "index type IxM2 .IDMap2. inside another index is not supported by this binding"]);
// LSH (d = 16, no rotation): nbits, rotate_data, train_thresholds, the thresholds vector, code_size.
const lsh = await make("LSH", 50);
cases.push(["LSH nbits 200", patched(lsh, (c) => c.writeInt32LE(200, HEADER)), "rrot.d_out == idxl->nbits"]);
cases.push(["LSH rotate_data without a rotation", patched(lsh, (c) => { c[HEADER + 4] = 1 }), "LSH rotation disagrees"]);
cases.push(["LSH train_thresholds without thresholds", patched(lsh, (c) => { c[HEADER + 5] = 1 }), "LSH thresholds"]);
cases.push(["LSH code size", patched(lsh, (c) => c.writeInt32LE(1, HEADER + 14)), "codes.size.. == idxl->ntotal"]);
for (const [name, bytes, pattern] of cases) await expectError(name, async () => { const j = await a.indexFromBuffer(bytes); await j.search(rnd(2, j.dim), 3) }, pattern);
// The intact files still load, and re-serialize byte for byte (an IDMap2 is rebuilt as one).
for (const [name, bytes] of [["IDMap2", idmap2], ["LSH", lsh]]) { const j = await a.indexFromBuffer(bytes); await j.search(rnd(2, 16), 3); console.log(Buffer.from(await j.toBuffer()).equals(bytes) ? "HELD intact " + name + " round trip" : "WRONG intact " + name + " round trip") }
// readIndex reads a file through the same bounds.
const fs = require("node:fs"); const dir = fs.mkdtempSync(require("node:path").join(require("node:os").tmpdir(), "faiss-corrupt-"));
try {
  fs.writeFileSync(dir + "/flipped.faiss", cases.find(([name]) => name === "IDMap codes length flipped")[1]);
  await expectError("readIndex of a flipped length", () => a.readIndex(dir + "/flipped.faiss"), "more than the [0-9]+ bytes left");
  await expectError("readIndex of a directory", () => a.readIndex(dir), "not a regular file");
} finally { fs.rmSync(dir, { recursive: true }) }
`
    allHeld(await inChild(body), 52)
  })
})
