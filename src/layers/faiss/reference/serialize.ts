/**
 * The reference backend's index file format: "FAISSREF1\n", one JSON header line, then the vectors
 * (float32) and ids (int64), little-endian, at 8-byte-aligned offsets. Not FAISS's format: a
 * reference index is read back only by the reference backend.
 */
export interface ReferenceSnapshot {
  readonly dim: number
  readonly metric: "l2" | "ip"
  readonly factory: string
  readonly trained: boolean
  readonly vectors: Float32Array
  readonly ids: BigInt64Array
}

const MAGIC = "FAISSREF1\n"

const align8 = (n: number) => Math.ceil(n / 8) * 8

export const encodeSnapshot = (s: ReferenceSnapshot): Uint8Array => {
  const header = new TextEncoder().encode(
    MAGIC + JSON.stringify({ dim: s.dim, metric: s.metric, factory: s.factory, trained: s.trained, ntotal: s.ids.length }) + "\n"
  )
  const vecAt = align8(header.length)
  const idsAt = align8(vecAt + s.vectors.byteLength)
  const out = new Uint8Array(idsAt + s.ids.byteLength)
  out.set(header, 0)
  out.set(new Uint8Array(s.vectors.buffer, s.vectors.byteOffset, s.vectors.byteLength), vecAt)
  out.set(new Uint8Array(s.ids.buffer, s.ids.byteOffset, s.ids.byteLength), idsAt)
  return out
}

/** The snapshot in `bytes`, or an error message. */
export const decodeSnapshot = (bytes: Uint8Array): ReferenceSnapshot | string => {
  const text = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 4096)))
  if (!text.startsWith(MAGIC)) return "not a reference index (bad magic)"
  const end = text.indexOf("\n", MAGIC.length)
  if (end < 0) return "truncated header"
  let h: { dim: number; metric: "l2" | "ip"; factory: string; trained: boolean; ntotal: number }
  try {
    h = JSON.parse(text.slice(MAGIC.length, end))
  } catch {
    return "corrupt header"
  }
  const headerBytes = new TextEncoder().encode(text.slice(0, end + 1)).length
  const vecAt = align8(headerBytes)
  const idsAt = align8(vecAt + h.ntotal * h.dim * 4)
  if (bytes.length < idsAt + h.ntotal * 8) return "truncated data"
  // An aligned copy: the input may sit at any offset (and Buffer#slice would not copy).
  const copy = new Uint8Array(idsAt + h.ntotal * 8 - vecAt)
  copy.set(bytes.subarray(vecAt, idsAt + h.ntotal * 8))
  return {
    dim: h.dim,
    metric: h.metric,
    factory: h.factory,
    trained: h.trained,
    vectors: new Float32Array(copy.buffer, 0, h.ntotal * h.dim),
    ids: new BigInt64Array(copy.buffer, idsAt - vecAt, h.ntotal)
  }
}
