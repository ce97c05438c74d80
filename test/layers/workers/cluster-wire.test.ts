/**
 * What the cluster's processes exchange, without an engine: the length-framed MessagePack of their
 * sockets (a message cut anywhere, several in one read, a frame over the limit), the chunk
 * payloads' text form, and the storage URL as users write it (checked, shown without password).
 */
import { RpcSerialization } from "@effect/rpc"
import { describe, expect, it } from "vitest"
import { fromWire, toWire } from "../../../src/layers/workers/cluster/chunk-entity.js"
import { framedMsgPack } from "../../../src/layers/workers/cluster/framed-msgpack.js"
import { redactUrl, storageUrlProblem } from "../../../src/layers/workers/cluster/storage-url.js"
import { pipelineCliAsync } from "../../runtime/cli-process.js"

const toBytes = (encoded: Uint8Array | string | undefined): Uint8Array => {
  if (encoded === undefined || typeof encoded === "string") throw new Error("expected bytes")
  return encoded
}

const concat = (parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/** A reply the size of a chunk's (megabytes of base64 text), and small control messages. */
const messages = [
  { _tag: "Ping" },
  { _tag: "Exit", requestId: "123", exit: { _tag: "Success", value: "A".repeat(3_000_000) } },
  { _tag: "Chunk", values: [1, 2.5, "three", null, { nested: [true] }] },
  { _tag: "Exit", requestId: "124", exit: { _tag: "Failure", cause: { message: "ünïcødé ✓" } } }
]

describe("framed MessagePack", () => {
  it("decodes messages cut at any read boundary, and several in one read", () => {
    const serialization = framedMsgPack(64 * 1024 * 1024)
    const stream = concat(messages.map((m) => toBytes(serialization.unsafeMake().encode(m))))
    for (const readSize of [1, 3, 4, 5, 7, 4096, 65_536, 1_000_003, stream.length]) {
      const parser = serialization.unsafeMake()
      const decoded: Array<unknown> = []
      // Tiny reads only over the small messages' region would take minutes byte by byte; the big
      // one is crossed with the large read sizes.
      const end = readSize < 4096 ? Math.min(stream.length, 64) : stream.length
      for (let at = 0; at < end; at += readSize) decoded.push(...parser.decode(stream.subarray(at, Math.min(end, at + readSize))))
      if (end === stream.length) expect(decoded).toEqual(messages)
      else expect(decoded).toEqual([messages[0]])
    }
  })

  it("a large message in 64 KiB reads: nothing before its last read, then exactly it", () => {
    const serialization = framedMsgPack(64 * 1024 * 1024)
    const big = toBytes(serialization.unsafeMake().encode(messages[1]))
    const parser = serialization.unsafeMake()
    const results: Array<number> = []
    for (let at = 0; at < big.length; at += 65_536) results.push(parser.decode(big.subarray(at, at + 65_536)).length)
    // Nothing until the last read, then exactly the one message.
    expect(results.slice(0, -1).every((n) => n === 0)).toBe(true)
    expect(results.at(-1)).toBe(1)
  })

  it("refuses a frame over the limit with the engine's own error, and goes on after it", () => {
    const serialization = framedMsgPack(1024)
    const parser = serialization.unsafeMake()
    const tooBig = toBytes(framedMsgPack(1 << 30).unsafeMake().encode({ text: "x".repeat(5000) }))
    expect(() => parser.decode(tooBig.subarray(0, 10))).toThrow(RpcSerialization.RpcSerializationError)
    expect(parser.decode(toBytes(serialization.unsafeMake().encode({ ok: 1 })))).toEqual([{ ok: 1 }])
  })
})

describe("chunk payloads on the wire", () => {
  it("keep typed arrays, buffers and maps exactly, as text that JSON carries", () => {
    const value = {
      floats: new Float32Array([1.5, -0, Number.NaN, 3.4028234663852886e38]),
      codes: new Uint8Array([0, 255, 7]).buffer,
      ids: new BigInt64Array([1n, -2n]),
      names: new Map([["a", 1]])
    }
    const text = toWire(value)
    expect(typeof text).toBe("string")
    const back = fromWire(JSON.parse(JSON.stringify(text)) as string) as typeof value
    // Each typed array has a buffer of its own, as after crossing threads.
    expect(new Uint8Array(back.floats.buffer)).toEqual(new Uint8Array(value.floats.buffer))
    expect(back.ids.buffer.byteLength).toBe(16)
    expect(new Uint8Array(back.codes)).toEqual(new Uint8Array([0, 255, 7]))
    expect(back.ids).toEqual(value.ids)
    expect(back.names).toEqual(value.names)
  })

  it("refuse what the structured clone refuses, and text that is not a payload", () => {
    expect(() => toWire({ f: () => 1 })).toThrow()
    expect(() => fromWire("hello")).toThrow(/not a chunk payload/)
  })

  it("are deflated when they compress, sent as they are when they do not, and come back exact either way", () => {
    const text = "the same words again and again ".repeat(20_000)
    const noise = new Float32Array(200_000).map((_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1)
    const compressible = toWire({ text })
    const incompressible = toWire({ noise })
    expect(compressible[0]).toBe("z")
    expect(compressible.length).toBeLessThan(text.length / 10)
    expect(incompressible[0]).toBe("v")
    expect(fromWire(compressible)).toEqual({ text })
    expect(new Uint8Array((fromWire(incompressible) as { noise: Float32Array }).noise.buffer)).toEqual(new Uint8Array(noise.buffer))
  })
})

describe("the storage URL", () => {
  it("is shown without its password, wherever it appears", () => {
    expect(redactUrl("postgres://me:s3cret@db.example:5432/pipeline")).toBe("postgres://me@db.example:5432/pipeline")
    expect(redactUrl("postgresql://me@127.0.0.1/p")).toBe("postgresql://me@127.0.0.1/p")
    expect(redactUrl("not a url")).not.toContain("not a url")
  })

  it("must be a PostgreSQL URL with a host", () => {
    expect(storageUrlProblem("postgres://postgres@127.0.0.1:5432/pipeline")).toBeUndefined()
    expect(storageUrlProblem("postgresql://u@h/db")).toBeUndefined()
    expect(storageUrlProblem("mysql://u:pw@h/db")).toMatch(/expected a postgres:\/\/ URL.*'mysql:\/\/u@h\/db'/)
    expect(storageUrlProblem("127.0.0.1:5432")).toMatch(/expected a (PostgreSQL|postgres:\/\/) URL/)
    expect(storageUrlProblem("postgres:///db")).toMatch(/names no host/)
  })
})

describe("layers.workers in a pipeline file", () => {
  it("engine: cluster without storage, or with a URL that is not PostgreSQL, fails validation at its line, without the password", async () => {
    const base = ["validate", "pipelines/quick.yaml", "--set", "layers.workers.engine=cluster"]
    const missing = await pipelineCliAsync(base)
    expect(missing.code).toBe(2)
    expect(missing.err).toContain("layers.workers.storage: engine: cluster needs storage: the PostgreSQL URL its runners use")
    const wrong = await pipelineCliAsync([...base, "--set", "layers.workers.storage=mysql://me:s3cret@db/x"])
    expect(wrong.code).toBe(2)
    expect(wrong.err).toContain("layers.workers.storage: expected a postgres:// URL (the cluster engine's storage is PostgreSQL), got 'mysql://me@db/x'")
    expect(wrong.err).not.toContain("s3cret")
    const good = await pipelineCliAsync([...base, "--set", "layers.workers.storage=postgres://me@db:5432/x"])
    expect(good.err).toBe("")
    expect(good.code).toBe(0)
  })
})
