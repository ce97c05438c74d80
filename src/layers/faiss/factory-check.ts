/**
 * `checkFactory`: whether FAISS can build an index from a factory string, answered synchronously
 * and without data, so a pipeline file's `factory:` is checked when the file is decoded
 * (`pipeline validate`, `plan`, `run`) rather than after the stages before it have run.
 *
 * First the allow-list grammar with bounded numbers (factory-grammar.ts) that both backends share:
 * a string outside it never reaches FAISS, whose parser and constructors crash on some strings.
 * Then FAISS's own parser (`faiss::index_factory` through the addon's `checkFactory`,
 * which builds the empty index and frees it at once) when the addon is built, else the reference
 * backend's parser (src/layers/faiss/reference/factory.ts), which knows fewer index types.
 *
 * The dimension: FAISS needs one to build, and the data's is unknown until the run. Some strings
 * are valid only at some dimensions (`PQ7` needs a multiple of 7, `PCA64,PQ7` none at all), so a
 * string is accepted when FAISS builds it at 128 (the usual embedding size, a multiple of every
 * power-of-two PQ/OPQ size up to 128) or at the least common multiple of its numbers up to 1,024
 * (the ones that can be divisibility constraints: sub-quantizer counts, output dimensions; list
 * counts such as IVF4096 never constrain the dimension), when that is at most 16,384 (a PQ's
 * codebooks at that dimension are 16 MB, freed at once). One that fails at both fails the check
 * with FAISS's whole message at 128. A string FAISS builds only at other dimensions would be
 * rejected; none of the factories in FAISS's documentation is. Whether the data's own dimension
 * fits (PQ7 over 64 dimensions) is said by the run-time build, which knows it.
 */
import type { Metric } from "./types.js"
import { FaissError } from "./errors.js"
import { loadAddonSync } from "./native-binding.js"
import { factoryGrammarProblem } from "./factory-grammar.js"

/** The dimension every factory string is tried at first. */
export const CHECK_DIMENSION = 128

/** The verdict on a factory string: `problem` is undefined when it can be built. */
export interface FactoryCheck {
  /**
   * Which check answered: the shared allow-list grammar (factory-grammar.ts, before any backend
   * sees the string), FAISS's parser (the addon), or the reference backend's.
   */
  readonly by: "grammar" | "faiss" | "reference"
  /** The dimensions it was tried at, in order. */
  readonly dimensions: ReadonlyArray<number>
  /** What is wrong, whole (FAISS's message: what is wrong first, its source location after). */
  readonly problem: string | undefined
}

const MAX_LCM = 16_384

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))

/** The dimensions to try `factory` at: 128, then the lcm of its numbers up to 1,024 (when at most 16,384). */
export const checkDimensions = (factory: string): ReadonlyArray<number> => {
  const numbers = [...factory.matchAll(/\d+/g)].map((m) => Number(m[0])).filter((n) => n >= 1 && n <= 1024)
  const lcm = numbers.reduce((acc, n) => (acc > MAX_LCM ? acc : (acc / gcd(acc, n)) * n), 1)
  return lcm === CHECK_DIMENSION || lcm > MAX_LCM || numbers.length === 0 ? [CHECK_DIMENSION] : [CHECK_DIMENSION, lcm]
}

/** The native message without its `Index: cannot build "<factory>": ` prefix (the caller names the factory). */
const withoutPrefix = (message: string, factory: string): string => {
  const prefix = `Index: cannot build "${factory}": `
  return message.startsWith(prefix) ? message.slice(prefix.length) : message
}

/**
 * Checks a factory string (as it will be built, e.g. with its `IDMap,` prefix) for `metric`.
 * Synchronous: usable inside a Schema check. Loading the addon costs a few milliseconds once.
 */
export const checkFactory = (factory: string, metric: Metric = "l2"): FactoryCheck => {
  const outside = factoryGrammarProblem(factory)
  if (outside !== undefined) return { by: "grammar", dimensions: [], problem: outside }
  const addon = loadAddonSync()
  if (addon instanceof FaissError) return { by: "reference", dimensions: [], problem: undefined }
  const dimensions = checkDimensions(factory)
  let first: string | undefined
  for (const d of dimensions) {
    const message = addon.checkFactory(d, factory, metric)
    if (message === null) return { by: "faiss", dimensions: dimensions.slice(0, dimensions.indexOf(d) + 1), problem: undefined }
    first ??= withoutPrefix(message, factory)
  }
  return { by: "faiss", dimensions, problem: first }
}

/**
 * The message a config check shows for a rejected factory: what FAISS said, whole, with the
 * dimensions it was tried at on its first line (FAISS's source location stays on the next).
 */
export const describeFactoryProblem = (factory: string, check: FactoryCheck): string | undefined => {
  if (check.problem === undefined) return undefined
  const [head, ...rest] = check.problem.split("\n")
  const tried =
    check.by === "grammar"
      ? ""
      : check.by === "reference"
      ? " (checked by the reference parser: the FAISS addon is not built)"
      : // A parse error is the same at every dimension; anything else may depend on it.
        check.problem.startsWith("could not parse")
        ? ""
        : ` (tried at dimension ${check.dimensions.join(" and ")}; the data's is known only at run time)`
  return [`FAISS cannot build ${quoteFactory(factory)}: ${head}${tried}`, ...rest].join("\n")
}

/** The longest factory string a message quotes whole; a longer one (a hostile file's) is cut. */
const QUOTE_LIMIT = 100

/** `factory` in quotes, or its first characters and its length when it is longer than QUOTE_LIMIT. */
const quoteFactory = (factory: string): string =>
  factory.length <= QUOTE_LIMIT ? `"${factory}"` : `"${factory.slice(0, 60)}..." (${factory.length} characters)`
