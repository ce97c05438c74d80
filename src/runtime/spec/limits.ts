/**
 * Bounds on what the loader accepts, so that a hostile or mistaken input (an alias bomb, a device,
 * a generated file with a million stages) ends in a clear message instead of minutes of work and
 * gigabytes of memory. Each is far above any hand-written pipeline (the shipped ones are under
 * 4 KiB, about 500 YAML values and a dozen stages) and low enough that the `yaml` library's own
 * document (about 1 KiB of heap per value) stays well under 256 MB.
 */

/** Largest pipeline, profile or default config file, in bytes. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024

/**
 * Most YAML values (scalars, maps, lists) in one document, counted before the document is built
 * and again while converting it, where every use of an alias counts its whole anchor again: an
 * alias bomb ("billion laughs") stops here.
 */
export const MAX_VALUES = 100_000

/** Deepest nesting of maps and lists. */
export const MAX_DEPTH = 64

/** Most stages in one pipeline. */
export const MAX_STAGES = 10_000

/** A byte count for messages: `4 MiB`, `512 KiB`, `100 bytes`. */
export const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes >= 1024 && bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`

/**
 * Names every JavaScript object has (`constructor`, `toString`, `__proto__`...) plus `prototype`.
 * They are refused as stage ids, params, resources and layers: those become keys of plain objects
 * in the spec, where such a name would be read as the object's own machinery.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), "prototype"])

/** The message for a reserved name used as `what` (e.g. "stage id"). */
export const reservedNameMessage = (what: string, name: string): string =>
  `${what} '${name}' is reserved (every JavaScript object has a property of that name); choose another name`
