/**
 * What the reference backend understands of a FAISS factory string. It answers every index type by
 * exact search (the ideal any ANN index approximates), but keeps the two behaviours that code using
 * an index must respect: whether it needs `train` before `add` (IVF, PQ, PCA, SQ, OPQ), and whether
 * it stores caller ids (`addWithIds` needs IVF or an `IDMap` prefix, as in FAISS).
 */
const component =
  /^(IDMap2?|Flat|HNSW\d+(_\w+)?|IVF\d+(_HNSW\d+)?|IMI\dx\d+|PQ\d+(x\d+)?(fs|np)?|PCAR?W?\d+|OPQ\d+(_\d+)?|SQ(4|6|8|fp16)|RFlat|Refine\(.+\)|L2norm|LSH\w*|NSG\d+)$/

export interface FactoryTraits {
  readonly needsTraining: boolean
  readonly storesIds: boolean
}

/**
 * What is wrong with the numbers of a factory string, as the native binding says it
 * (native/faiss/index_wrap.cc, RejectUnsafeNumbers): a 0, which FAISS divides by or asserts on
 * (PQ0 is a SIGFPE), or a number beyond what FAISS's std::stoi reads.
 */
export const unsafeNumbers = (factory: string): string | undefined => {
  for (const match of factory.matchAll(/\d+/g)) {
    const number = match[0]
    if (/^0+$/.test(number)) {
      return `every number in a factory string must be positive; "${factory}" has ${number} at character ${match.index + 1}`
    }
    if (number.length > 9) return `number ${number} in "${factory}" is too large (at most 999999999)`
  }
  return undefined
}

/** Traits of a valid factory string, or undefined when FAISS would not parse it either. */
export const parseFactory = (factory: string): FactoryTraits | undefined => {
  const parts = factory.split(",").map((p) => p.trim())
  if (parts.length === 0 || parts.some((p) => !component.test(p)) || unsafeNumbers(factory) !== undefined) return undefined
  return {
    needsTraining: parts.some((p) => /^(IVF|IMI|PQ|PCA|OPQ|SQ)/.test(p)),
    storesIds: parts.some((p) => /^(IDMap|IVF|IMI)/.test(p))
  }
}

/** Why the reference backend cannot build `factory`, or undefined when it can. */
export const factoryProblem = (factory: string): string | undefined =>
  unsafeNumbers(factory) ?? (parseFactory(factory) === undefined ? `could not parse index string ${factory}` : undefined)
