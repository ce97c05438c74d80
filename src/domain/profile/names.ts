/**
 * Person names: `<first name> <last name>`, with the first name drawn from the list of the
 * profile's sex (the seed's rule, kept: male, female and neutral names; "Prefiro não informar" draws
 * from all three).
 *
 * Realism at no per-row cost: the lists are a snapshot (names-pt_BR.json) of the seed's lists
 * united with Faker 10's pt_BR first names and its pt_BR + pt_PT surnames (Faker's pt_BR alone has
 * only 21). Calling Faker per row measured ~0.2 M full names/s, slower than everything else we do
 * per profile together; indexing the snapshot with our PRNG costs two draws and one concatenation, and
 * keeps the data fixed when Faker is upgraded (test/domain/profile/names.test.ts compares the snapshot
 * with the installed Faker). A share of people carry two surnames, as is common in Brazil.
 */
import type { Prng } from "../random/sfc32.js"
import names from "./names-pt_BR.json" with { type: "json" }
import { Sex } from "./vocabulary.js"

export const MALE_FIRST_NAMES: ReadonlyArray<string> = names.male
export const FEMALE_FIRST_NAMES: ReadonlyArray<string> = names.female
export const NEUTRAL_FIRST_NAMES: ReadonlyArray<string> = names.nonBinary
export const LAST_NAMES: ReadonlyArray<string> = names.last

/** First-name list for each sex code (index = code of SEXES). */
export const FIRST_NAMES_BY_SEX: ReadonlyArray<ReadonlyArray<string>> = [
  MALE_FIRST_NAMES,
  FEMALE_FIRST_NAMES,
  NEUTRAL_FIRST_NAMES,
  [...MALE_FIRST_NAMES, ...FEMALE_FIRST_NAMES, ...NEUTRAL_FIRST_NAMES]
]

/** Probability that a person has two (distinct) surnames. */
export const TWO_SURNAMES_SHARE = 0.3

/** A full name for a person of the given sex code. */
export const drawName = (rng: Prng, sex: number): string => {
  const firsts = FIRST_NAMES_BY_SEX[sex] ?? FIRST_NAMES_BY_SEX[Sex.Undisclosed]!
  const first = firsts[rng.below(firsts.length)] as string
  const n = LAST_NAMES.length
  const last = rng.below(n)
  if (rng.float() >= TWO_SURNAMES_SHARE) return `${first} ${LAST_NAMES[last]}`
  // A second surname different from the first: shift by 1..n-1.
  const second = (last + 1 + rng.below(n - 1)) % n
  return `${first} ${LAST_NAMES[last]} ${LAST_NAMES[second]}`
}
