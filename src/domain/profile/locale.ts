/**
 * Locales the generator supports. Only the seed's pt-BR world exists (its names, cities and
 * descriptions are Brazilian Portuguese); callers validate configs against this list so an unknown
 * locale fails before any work starts.
 */
export const SUPPORTED_LOCALES = ["pt_BR"] as const
export type Locale = (typeof SUPPORTED_LOCALES)[number]

export const isSupportedLocale = (value: string): value is Locale =>
  (SUPPORTED_LOCALES as ReadonlyArray<string>).includes(value)
