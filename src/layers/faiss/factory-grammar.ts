/**
 * The factory strings this package lets FAISS see: an allow-list grammar with bounded numbers,
 * checked before any backend builds an index (the native layer, the reference layer and the
 * pipeline-file check all call it, so they agree). FAISS 1.7.3 itself does not check many numbers
 * it divides by, asserts on or allocates from (PQ0 is a SIGFPE, PQ8x99 an abort(), NSG4 never
 * finishes building, a 100,000-character string overflows its parser's stack), so anything outside
 * this grammar is refused with a message naming the component and the parameter.
 *
 * A string is components joined by "," (no spaces). Each component is one of:
 *   IDMap | IDMap2                       (first only)
 *   PCA<d> | PCAR<d> | PCAW<d> | PCAWR<d>, OPQ<M>[_<d>], RR<d>, L2norm    (preprocessing)
 *   IVF<nlist>[_HNSW<M>], IMI2x<bits>                                       (coarse quantizer)
 *   Flat, HNSW<M>, PQ<M>[x<bits>][fs|np], SQ4 | SQ6 | SQ8 | SQfp16, LSH[r|t|rt]  (codes)
 *   RFlat, Refine(<Flat | SQ.. | PQ..>)                                    (re-ranking, last)
 * with the bounds of FACTORY_LIMITS. Whether the components fit together (Flat,Flat) and the
 * dimension (PQ7 over 64 dimensions) is left to FAISS, which reports both as errors.
 */

/** The bounds of every number in a factory string (mirrored in native/faiss/index_wrap.cc). */
export const FACTORY_LIMITS = {
  /** Characters in the whole string. */
  length: 256,
  /** Components (comma-separated parts). */
  components: 8,
  /** IVF<nlist>. */
  nlist: 1 << 20,
  /** HNSW<M> links per vector and level. */
  hnswM: 512,
  /** PQ<M> / OPQ<M> sub-quantizers. */
  subQuantizers: 4096,
  /** Bits per code: PQ<M>x<bits>, IMI2x<bits>. */
  bits: 16,
  /** Output dimension of PCA / OPQ_<d> / RR. */
  outputDimension: 65_536
} as const

/** What a valid string needs of a backend: training before add, caller ids. */
export interface FactoryTraits {
  readonly needsTraining: boolean
  readonly storesIds: boolean
}

type Bound = readonly [name: string, max: number]

/** Component patterns: each capture group is a number with its parameter name and bound. */
const COMPONENTS: ReadonlyArray<readonly [RegExp, ReadonlyArray<Bound>, string]> = [
  [/^IDMap2?$/, [], "IDMap"],
  [/^PCAW?R?(\d+)$/, [["output dimension", FACTORY_LIMITS.outputDimension]], "PCA"],
  [/^OPQ(\d+)(?:_(\d+))?$/, [["M (sub-quantizers)", FACTORY_LIMITS.subQuantizers], ["output dimension", FACTORY_LIMITS.outputDimension]], "OPQ"],
  [/^RR(\d+)$/, [["output dimension", FACTORY_LIMITS.outputDimension]], "RR"],
  [/^L2norm$/, [], "L2norm"],
  [/^IVF(\d+)(?:_HNSW(\d+))?$/, [["nlist", FACTORY_LIMITS.nlist], ["HNSW M", FACTORY_LIMITS.hnswM]], "IVF"],
  [/^IMI2x(\d+)$/, [["bits", FACTORY_LIMITS.bits]], "IMI"],
  [/^Flat$/, [], "Flat"],
  [/^HNSW(\d+)$/, [["M", FACTORY_LIMITS.hnswM]], "HNSW"],
  [/^PQ(\d+)(?:x(\d+))?(?:fs|np)?$/, [["M (sub-quantizers)", FACTORY_LIMITS.subQuantizers], ["bits", FACTORY_LIMITS.bits]], "PQ"],
  [/^SQ(?:4|6|8|fp16)$/, [], "SQ"],
  [/^LSH(?:r|t|rt)?$/, [], "LSH"],
  [/^RFlat$/, [], "RFlat"],
  [/^Refine\((?:Flat|SQ(?:4|6|8|fp16)|PQ(\d+)(?:x(\d+))?)\)$/, [["M (sub-quantizers)", FACTORY_LIMITS.subQuantizers], ["bits", FACTORY_LIMITS.bits]], "Refine"]
]

const show = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}...` : s)

/** Why `factory` is outside the grammar (naming the component and parameter), or undefined when it is inside. */
export const factoryGrammarProblem = (factory: string): string | undefined => {
  if (factory.length === 0) return "a factory string must not be empty"
  if (factory.length > FACTORY_LIMITS.length) {
    return `a factory string has at most ${FACTORY_LIMITS.length} characters, this one ${factory.length}`
  }
  if (/\s/.test(factory)) return `factory string ${show(factory)} must not contain spaces`
  const parts = factory.split(",")
  if (parts.length > FACTORY_LIMITS.components) {
    return `a factory string has at most ${FACTORY_LIMITS.components} components, ${show(factory)} has ${parts.length}`
  }
  for (const [i, part] of parts.entries()) {
    if (part === "") return `factory string ${show(factory)} has an empty component (at position ${i + 1})`
    const rule = COMPONENTS.find(([pattern]) => pattern.test(part))
    if (rule === undefined) {
      if (part.startsWith("NSG")) return `component ${show(part)}: NSG indexes are not supported (FAISS 1.7.3 can hang or crash building them)`
      return `could not parse index string ${factory}: component ${show(part)} is not one of IDMap, PCA<d>, OPQ<M>, RR<d>, L2norm, IVF<nlist>, IMI2x<bits>, Flat, HNSW<M>, PQ<M>[x<bits>], SQ4/6/8/fp16, LSH, RFlat, Refine(...)`
    }
    const [pattern, bounds, kind] = rule
    if (kind === "IDMap" && i !== 0) return `component ${show(part)}: IDMap must come first`
    const groups = pattern.exec(part)!.slice(1)
    for (const [g, text] of groups.entries()) {
      if (text === undefined) continue
      const [name, max] = bounds[g]!
      const value = Number(text)
      if (!(value >= 1 && value <= max)) {
        return `component ${show(part)}: ${name} = ${text.length > 12 ? `${text.slice(0, 12)}...` : text} must be in [1, ${max}]`
      }
    }
  }
  return undefined
}

/** Traits of a string inside the grammar, or undefined when it is outside. */
export const factoryTraits = (factory: string): FactoryTraits | undefined => {
  if (factoryGrammarProblem(factory) !== undefined) return undefined
  const parts = factory.split(",")
  return {
    needsTraining: parts.some((p) => /^(IVF|IMI|PQ|PCA|OPQ|SQ|LSHr|LSHt)/.test(p)),
    storesIds: parts.some((p) => /^(IDMap|IVF|IMI)/.test(p))
  }
}
