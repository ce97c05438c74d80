/**
 * Run ids: `YYYYMMDD-HHMMSS-xxxx` (UTC time the run opened, 4 random hex chars). They sort by time
 * as plain strings and are short enough to type in `pipeline show RUN`; the random suffix keeps two
 * runs opened in the same second apart (both ledgers retry on the rare collision).
 */
import { randomBytes } from "node:crypto"

const pad = (n: number, width: number): string => n.toString().padStart(width, "0")

/** The run id for a run opened at `epochMs`, with `suffix` (4 hex chars) or a random one. */
export const makeRunId = (epochMs: number, suffix: string = randomBytes(2).toString("hex")): string => {
  const d = new Date(epochMs)
  const date = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`
  const time = `${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds(), 2)}`
  return `${date}-${time}-${suffix}`
}

/** How many fresh suffixes a ledger tries before giving up on an id collision. */
export const RUN_ID_TRIES = 8
