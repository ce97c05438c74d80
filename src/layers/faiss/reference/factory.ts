/**
 * What the reference backend understands of a FAISS factory string. It answers every index type by
 * exact search (the ideal any ANN index approximates), but keeps the two behaviours that code using
 * an index must respect: whether it needs `train` before `add` (IVF, PQ, PCA, SQ, OPQ), and whether
 * it stores caller ids (`addWithIds` needs IVF or an `IDMap` prefix, as in FAISS).
 */
import { factoryGrammarProblem, factoryTraits, type FactoryTraits } from "../factory-grammar.js"

export type { FactoryTraits }

/** Traits of a valid factory string (inside the shared grammar, factory-grammar.ts), or undefined. */
export const parseFactory = (factory: string): FactoryTraits | undefined => factoryTraits(factory)

/** Why the reference backend cannot build `factory` (the shared grammar's answer), or undefined when it can. */
export const factoryProblem = (factory: string): string | undefined => factoryGrammarProblem(factory)
