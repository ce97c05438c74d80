/**
 * The stage registry: stage kinds by name. The CLI builds one from the shipped kinds; tests build
 * their own from test-only kinds.
 */
import type { StageKind } from "./stage-kind.js"

export interface StageRegistry<R = never> {
  readonly kinds: ReadonlyMap<string, StageKind<R>>
}

export const makeRegistry = <R>(kinds: ReadonlyArray<StageKind<R>>): StageRegistry<R> => {
  const map = new Map<string, StageKind<R>>()
  for (const kind of kinds) {
    if (map.has(kind.name)) throw new Error(`stage kind ${kind.name} is registered twice`)
    map.set(kind.name, kind)
  }
  return { kinds: map }
}
