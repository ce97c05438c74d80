/**
 * Chooses the Faiss layer from `layers.faiss` settings. `auto` probes the addon and falls back to
 * the CPU with a logged reason; `gpu` without a GPU build fails with reason `gpu-unavailable`.
 * (Imported by service.ts for `Faiss.layerFromSettings`; the layers are built lazily, so the
 * import cycle through native-layer.ts never touches an uninitialised binding.)
 */
import { Effect, Layer } from "effect"
import type { FaissError } from "./errors.js"
import { loadAddon } from "./native-binding.js"
import { makeFaissNative } from "./native-layer.js"
import type { Faiss } from "./service.js"
import type { FaissSettings } from "./settings.js"

export const layerFromSettings = (settings: FaissSettings): Layer.Layer<Faiss, FaissError> => {
  const threads = settings.threads
  if (settings.device !== "auto") return makeFaissNative({ device: settings.device, threads })
  return Layer.unwrapEffect(
    Effect.gen(function* () {
      const addon = yield* loadAddon
      if (addon.gpuAvailable) {
        yield* Effect.logInfo("faiss: device auto -> gpu")
        return makeFaissNative({ device: "gpu", threads })
      }
      yield* Effect.logWarning(`faiss: device auto -> cpu: ${addon.gpuUnavailableReason}`)
      return makeFaissNative({ device: "cpu", threads })
    })
  )
}
