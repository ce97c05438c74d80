/**
 * JSON encoding of the free-form values the ledger stores (descriptors, event data). Both ledgers
 * use it, so the memory ledger hands back exactly what the SQLite one would: a value that does not
 * survive JSON (a BigInt, a cycle) fails at write time in tests too, not only in production.
 */

/** JSON text of `value`; `undefined` is stored as null (JSON has no undefined). Throws on BigInt or cycles. */
export const toJson = (value: unknown): string => JSON.stringify(value) ?? "null"

/** A deep copy of `value` as it reads back from JSON. */
export const jsonRoundTrip = <A>(value: A): A => JSON.parse(toJson(value)) as A
