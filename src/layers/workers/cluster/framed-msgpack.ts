/**
 * The wire format between the cluster's processes: MessagePack, each message framed by its length
 * (4 bytes, big-endian).
 *
 * Why not the engine's own `RpcSerialization.msgPack`: it has no framing of its own, so on every
 * socket read it re-parses the whole incomplete message from its start and copies it again. A
 * chunk's reply is megabytes (a 10,000-profile chunk's rows are ~7 MB), which arrives in ~100
 * reads: 11 s of a driver's CPU for five chunks, measured (cpuprofile: `decode` and msgpackr's
 * `readString`). With a length prefix a message is parsed once, when all of it is there, and its
 * pieces are copied once. The values are what msgpack gives (one decoded item per encoded
 * response), so the engine sees no difference; every process of a deployment must use it (the
 * driver's and the runner's layers in engine.ts both do).
 */
import { RpcSerialization } from "@effect/rpc"
import { Packr, Unpackr } from "msgpackr"

const HEADER = 4

/** A serialization for the cluster's sockets; `maxMessageBytes` bounds one message. */
export const framedMsgPack = (maxMessageBytes: number): RpcSerialization.RpcSerialization["Type"] =>
  RpcSerialization.RpcSerialization.of({
    contentType: "application/x-pipeline-framed-msgpack",
    includesFraming: true,
    unsafeMake: () => {
      const packr = new Packr()
      const unpackr = new Unpackr()
      const encoder = new TextEncoder()
      // Bytes received and not yet consumed, in arrival order; `queued` counts them.
      const pending: Array<Uint8Array> = []
      let queued = 0
      let expected: number | undefined

      /** Removes the next `n` queued bytes (n <= queued), copying only when they span reads. */
      const take = (n: number): Uint8Array => {
        queued -= n
        const first = pending[0]!
        if (first.length >= n) {
          if (first.length === n) pending.shift()
          else pending[0] = first.subarray(n)
          return first.subarray(0, n)
        }
        const out = new Uint8Array(n)
        let filled = 0
        while (filled < n) {
          const piece = pending[0]!
          const used = Math.min(piece.length, n - filled)
          out.set(piece.subarray(0, used), filled)
          filled += used
          if (used === piece.length) pending.shift()
          else pending[0] = piece.subarray(used)
        }
        return out
      }

      return {
        decode: (data) => {
          const bytes = typeof data === "string" ? encoder.encode(data) : data
          if (bytes.length > 0) {
            pending.push(bytes)
            queued += bytes.length
          }
          const items: Array<unknown> = []
          for (;;) {
            if (expected === undefined) {
              if (queued < HEADER) break
              const head = take(HEADER)
              expected = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0
              if (expected > maxMessageBytes) {
                pending.length = 0
                queued = 0
                const size = expected
                expected = undefined
                throw new RpcSerialization.RpcSerializationError({ reason: "BufferSizeExceeded", maxBufferSize: maxMessageBytes, bufferSize: size })
              }
            }
            if (queued < expected) break
            const body = take(expected)
            expected = undefined
            items.push(unpackr.unpack(body))
          }
          return items
        },
        encode: (response) => {
          const body = packr.pack(response)
          const framed = new Uint8Array(HEADER + body.length)
          const length = body.length
          framed[0] = (length >>> 24) & 0xff
          framed[1] = (length >>> 16) & 0xff
          framed[2] = (length >>> 8) & 0xff
          framed[3] = length & 0xff
          framed.set(body, HEADER)
          return framed
        }
      }
    }
  })
