/**
 * Set parsing for the list fields the score compares (platforms, games, play styles), after the
 * seed's `safe_split_and_strip` (seed-spec §6.2): split on the delimiter, trim, drop empties,
 * lower-case, collapse duplicates. Lower-casing is what makes "PC" and "pc" the same item, and the
 * set is what makes the seed's duplicated list items ("Sandbox, Sandbox, Construção") count once.
 *
 * Our profile records hold lists rather than the seed's comma-joined strings, so both forms are
 * accepted. Items of a list are taken whole (never split on the delimiter): none of the seed's
 * values contains a comma, so `["A", "B"]` and `"A, B"` give the same set, and a list item that
 * does contain one is not torn apart as the seed's string form would do.
 */

/** A list field as the seed stores it (`"PC, Nintendo Switch"`) or as our records hold it. */
export type ItemsInput = string | ReadonlyArray<string> | null | undefined

/** The canonical form of one item: trimmed and lower-cased, as the seed compares them. */
export const normalizeItem = (item: string): string => item.trim().toLowerCase()

/**
 * The distinct normalised items of a list field. `null`, `undefined` and `""` give the empty set
 * (the seed's "non-string/empty → empty set"); `delimiter` applies to the string form only.
 */
export const itemSet = (input: ItemsInput, delimiter = ","): ReadonlySet<string> => {
  const out = new Set<string>()
  if (input === null || input === undefined) return out
  const parts = typeof input === "string" ? input.split(delimiter) : input
  for (const part of parts) {
    const item = normalizeItem(part)
    if (item !== "") out.add(item)
  }
  return out
}
