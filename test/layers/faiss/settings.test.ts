/**
 * `layers.faiss` settings: decoding with defaults, and the device choice. There is no GPU build
 * here, so `gpu` must fail with reason gpu-unavailable and `auto` must fall back to the CPU and say
 * why; on a machine with a GPU build the expectations flip, which the test reads from the addon.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Logger, Schema } from "effect"
import { Faiss, FaissSettings } from "../../../src/layers/faiss/index.js"
import { loadAddon } from "../../../src/layers/faiss/native-binding.js"

describe("Faiss.layerFromSettings", () => {
  it("decodes settings with defaults and rejects unknown devices", () => {
    expect(Schema.decodeUnknownSync(FaissSettings)({})).toEqual({ device: "cpu" })
    expect(Schema.decodeUnknownSync(FaissSettings)({ device: "auto", threads: 2 })).toEqual({ device: "auto", threads: 2 })
    expect(() => Schema.decodeUnknownSync(FaissSettings)({ device: "tpu" })).toThrow()
    expect(() => Schema.decodeUnknownSync(FaissSettings)({ threads: 0 })).toThrow()
  })

  it.effect("cpu gives the native CPU backend", () =>
    Effect.gen(function* () {
      const backend = yield* Effect.provide(
        Effect.map(Faiss, (f) => f.backend),
        Faiss.layerFromSettings({ device: "cpu" })
      )
      expect(backend).toMatchObject({ kind: "native", device: "cpu", version: "1.7.3" })
    })
  )

  it.effect("gpu without a GPU build fails with a clear gpu-unavailable error", () =>
    Effect.gen(function* () {
      const addon = yield* loadAddon
      const exit = yield* Effect.exit(
        Effect.provide(Effect.map(Faiss, (f) => f.backend.device), Faiss.layerFromSettings({ device: "gpu" }))
      )
      if (addon.gpuAvailable) {
        expect(exit).toEqual(Exit.succeed("gpu"))
      } else {
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
          expect(exit.cause.error).toMatchObject({ _tag: "FaissError", reason: "gpu-unavailable" })
          expect(exit.cause.error.message).toMatch(/without GPU support/)
        }
      }
    })
  )

  it.effect("auto falls back to the CPU and logs why", () =>
    Effect.gen(function* () {
      const addon = yield* loadAddon
      const logs: Array<string> = []
      const logger = Logger.make(({ message }) => logs.push(String(message)))
      const device = yield* Effect.provide(
        Effect.map(Faiss, (f) => f.backend.device),
        Faiss.layerFromSettings({ device: "auto" })
      ).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
      expect(device).toBe(addon.gpuAvailable ? "gpu" : "cpu")
      if (!addon.gpuAvailable) expect(logs.join("\n")).toMatch(/device auto -> cpu: .*without GPU support/)
    })
  )
})
