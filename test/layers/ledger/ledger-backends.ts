/**
 * The ledger implementations the contract tests run against. Each backend gives a fresh store per
 * test, and `ledger(options)` Layers over that one store, so a test can play two processes (one
 * that crashed, one that recovers) against the same ledger.
 */
import type { Layer } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { LedgerError } from "../../../src/runtime/errors.js"
import type { RunLedger } from "../../../src/runtime/services/run-ledger.js"
import type { LedgerOptions } from "../../../src/layers/ledger/ledger-options.js"
import { MemoryLedgerState, RunLedgerMemory } from "../../../src/layers/ledger/memory-ledger.js"
import { RunLedgerSqlite } from "../../../src/layers/ledger/sqlite-ledger.js"

export interface LedgerStore {
  readonly ledger: (options?: LedgerOptions) => Layer.Layer<RunLedger, LedgerError>
}

export interface LedgerBackend {
  readonly name: string
  readonly store: () => LedgerStore
}

const tempDirs: Array<string> = []

/** Removes the temporary directories the SQLite backend created. */
export const cleanupLedgerStores = (): void => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

export const sqliteLedgerPath = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "ledger-test-"))
  tempDirs.push(dir)
  // A nested path, so the Layer has to create the parent directories.
  return join(dir, "nested", "dir", "ledger.sqlite")
}

export const ledgerBackends: ReadonlyArray<LedgerBackend> = [
  {
    name: "sqlite",
    store: () => {
      const path = sqliteLedgerPath()
      return { ledger: (options = {}) => RunLedgerSqlite.layer(path, options) }
    }
  },
  {
    name: "memory",
    store: () => {
      const state = new MemoryLedgerState()
      return { ledger: (options = {}) => RunLedgerMemory.layerWith({ ...options, state }) }
    }
  }
]
