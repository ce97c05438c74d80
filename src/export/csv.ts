/**
 * CSV as RFC 4180 has it: fields separated by commas, a field quoted (and its quotes doubled) when
 * it holds a comma, a quote or a line break, lines ended by "\n". Numbers are written as
 * JavaScript prints them, which round-trips every float64.
 */

const NEEDS_QUOTES = /[",\r\n]/

/** One field's text. */
export const csvField = (value: unknown): string => {
  const text = typeof value === "string" ? value : value === null || value === undefined ? "" : String(value)
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** A line of fields, without its line ending. */
export const csvLine = (values: ReadonlyArray<unknown>): string => values.map(csvField).join(",")
