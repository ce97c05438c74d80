/**
 * Desired-interaction similarity, the seed's `interaction_similarity` (seed-spec §6.2): identical
 * (case-insensitive) values score 1.0; otherwise only three whitespace-separated tokens matter,
 * `indiferente`, `online` and `presencial`, so the score of two different values depends only on
 * which of those tokens each contains. The compact encoding stores that as a 3-bit class per
 * profile (plus an identity code for the 1.0 case) and looks the rest up in `INTERACTION_TABLE`.
 *
 * Tokens are whole words with punctuation kept, as in the seed: "Principalmente Online, aberto ao
 * Presencial" has the token `online,` (not `online`) and "Presencialmente" is not `presencial`.
 * That quirk shapes the seed's golden values (e.g. 0.1 between it and "Apenas Online"), so it stays.
 *
 * Deliberate differences: a value that is blank after trimming counts as missing (score 0; the
 * seed scored two blank strings 1.0 as "identical"), and identity compares trimmed values (the
 * seed compared "Online " and "online" as different, 0.9, though their tokens are the same).
 */

/** Token flags of a value; a class is their OR, 0..7. */
export const InteractionToken = { Indifferent: 1, Online: 2, InPerson: 4 } as const

/** Class code for a missing value; row and column of zeros in `INTERACTION_TABLE`. */
export const INTERACTION_MISSING = 8

/** Number of class codes, the side of `INTERACTION_TABLE`. */
export const INTERACTION_CLASSES = 9

/** The canonical form the seed compares (lower-cased; trimmed), or `undefined` when missing. */
export const normalizeInteraction = (value: string | null | undefined): string | undefined => {
  if (value === null || value === undefined) return undefined
  const key = value.trim().toLowerCase()
  return key === "" ? undefined : key
}

/** The token class of a normalised value (see `normalizeInteraction`). */
export const interactionClass = (key: string): number => {
  let cls = 0
  for (const token of key.split(/\s+/)) {
    if (token === "indiferente") cls |= InteractionToken.Indifferent
    else if (token === "online") cls |= InteractionToken.Online
    else if (token === "presencial") cls |= InteractionToken.InPerson
  }
  return cls
}

/** The seed's rules for two *different* values, by class, checked in the seed's order. */
export const classSimilarity = (a: number, b: number): number => {
  if (a === INTERACTION_MISSING || b === INTERACTION_MISSING) return 0
  if ((a | b) & InteractionToken.Indifferent) return 0.5
  if (a & b & InteractionToken.Online) return 0.9
  if (a & b & InteractionToken.InPerson) return 0.8
  const onlineVsInPerson =
    (a & InteractionToken.Online && b & InteractionToken.InPerson) ||
    (a & InteractionToken.InPerson && b & InteractionToken.Online)
  return onlineVsInPerson ? 0.1 : 0.2
}

/** A value reduced to what the rules read: its canonical form and its token class. */
export interface PreparedInteraction {
  readonly key: string
  readonly tokenClass: number
}

/** `undefined` for a missing or blank value. */
export const prepareInteraction = (value: string | null | undefined): PreparedInteraction | undefined => {
  const key = normalizeInteraction(value)
  return key === undefined ? undefined : { key, tokenClass: interactionClass(key) }
}

/** Interaction similarity of two prepared values. */
export const preparedInteractionSimilarity = (
  a: PreparedInteraction | undefined,
  b: PreparedInteraction | undefined
): number => {
  if (a === undefined || b === undefined) return 0
  if (a.key === b.key) return 1
  return classSimilarity(a.tokenClass, b.tokenClass)
}

/** Interaction similarity of two values, in [0, 1]. */
export const interactionSimilarity = (a: string | null | undefined, b: string | null | undefined): number =>
  preparedInteractionSimilarity(prepareInteraction(a), prepareInteraction(b))

/**
 * `classSimilarity` for every pair of class codes, row-major (`table[a * 9 + b]`). Float64 for the
 * same reason as the availability table: scores must equal the reference's bit for bit.
 */
export const INTERACTION_TABLE: Float64Array = (() => {
  const table = new Float64Array(INTERACTION_CLASSES * INTERACTION_CLASSES)
  for (let a = 0; a < INTERACTION_CLASSES; a++) {
    for (let b = 0; b < INTERACTION_CLASSES; b++) table[a * INTERACTION_CLASSES + b] = classSimilarity(a, b)
  }
  return table
})()
