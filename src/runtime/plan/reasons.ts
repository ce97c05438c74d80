/**
 * Why a stage must run: the differences between the key material of its last committed artifact
 * and the key material it would have now, phrased for people (`config.k 64 -> 128`).
 */
import type { KeyMaterial } from "../services/run-ledger.js"
import { canonicalJson, flattenPaths } from "./canonical-json.js"

const show = (value: unknown): string => (value === undefined ? "(unset)" : canonicalJson(value))

export const describeChanges = (before: KeyMaterial, now: KeyMaterial): ReadonlyArray<string> => {
  const reasons: Array<string> = []
  if (before.kind !== now.kind) reasons.push(`kind ${before.kind} -> ${now.kind}`)
  else if (before.version !== now.version) reasons.push(`kind version ${before.version} -> ${now.version}`)
  const configBefore = flattenPaths(before.config, "config")
  const configNow = flattenPaths(now.config, "config")
  for (const path of new Set([...configBefore.keys(), ...configNow.keys()])) {
    const a = configBefore.get(path)
    const b = configNow.get(path)
    if (canonicalJson(a) !== canonicalJson(b)) reasons.push(`${path} ${show(a)} -> ${show(b)}`)
  }
  for (const name of new Set([...Object.keys(before.inputs), ...Object.keys(now.inputs)])) {
    if (before.inputs[name] !== now.inputs[name]) reasons.push(`input ${name} changed`)
  }
  for (const path of new Set([...Object.keys(before.layers), ...Object.keys(now.layers)])) {
    const a = before.layers[path]
    const b = now.layers[path]
    if (canonicalJson(a) !== canonicalJson(b)) reasons.push(`layers.${path} ${show(a)} -> ${show(b)}`)
  }
  return reasons
}
