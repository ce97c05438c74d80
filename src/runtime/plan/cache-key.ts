/**
 * Cache keys. A stage's key is the sha256 of its key material: kind, kind version, resolved config,
 * the digests of its input artifacts, and the layer settings that change its results. Equal key and
 * a committed artifact mean the stage's output can be reused as is.
 */
import { createHash } from "node:crypto"
import type { StageSpec } from "../spec/pipeline-spec.js"
import type { StageKind } from "../stage-kind.js"
import type { KeyMaterial } from "../services/run-ledger.js"
import { canonicalJson } from "./canonical-json.js"

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex")

/** The digest of a list input: its members' digests in order (one stage, one entry). */
export const listDigest = (digests: ReadonlyArray<string>): string => digests.join(",")

export const cacheKeyOf = (material: KeyMaterial): string => sha256(canonicalJson(material))

/** Reads a dotted path (`faiss.device`) from the pipeline's layer settings. */
const layerSetting = (layers: Readonly<Record<string, Readonly<Record<string, unknown>>>>, path: string): unknown => {
  let node: unknown = layers
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return node
}

export const keyMaterialOf = (
  stage: StageSpec,
  kind: Pick<StageKind<unknown>, "version" | "resultLayers">,
  inputDigests: Readonly<Record<string, string>>,
  layers: Readonly<Record<string, Readonly<Record<string, unknown>>>>
): KeyMaterial => {
  const layerValues: Record<string, unknown> = {}
  for (const path of kind.resultLayers) layerValues[path] = layerSetting(layers, path) ?? null
  return {
    kind: stage.kind,
    version: kind.version,
    config: stage.configEncoded,
    inputs: inputDigests,
    layers: layerValues
  }
}
