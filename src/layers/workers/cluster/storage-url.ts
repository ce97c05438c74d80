/**
 * The cluster engine's storage URL, as users write it (`layers.workers.storage`, `pipeline runner
 * --storage`): checked before anything connects, and shown without its password everywhere.
 * Its own module so that validating a pipeline file never loads the engine.
 */

/** `url` without its password, for every message a user sees (`postgres://user@host:5432/db`). */
export const redactUrl = (url: string): string => {
  try {
    const parsed = new URL(url)
    if (parsed.password !== "") parsed.password = ""
    return parsed.toString()
  } catch {
    return "<an unparsable storage URL>"
  }
}

/** Checks that a storage setting is a PostgreSQL URL; the reason when it is not. */
export const storageUrlProblem = (url: string): string | undefined => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return `expected a PostgreSQL URL like postgres://user@host:5432/database, got '${url.length > 80 ? `${url.slice(0, 80)}…` : url}'`
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    return `expected a postgres:// URL (the cluster engine's storage is PostgreSQL), got '${redactUrl(url)}'`
  }
  if (parsed.hostname === "") return `the storage URL '${redactUrl(url)}' names no host`
  return undefined
}

