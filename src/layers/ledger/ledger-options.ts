/** Settings shared by the ledger Layers. */
export interface LedgerOptions {
  /**
   * The process id recorded in runs this ledger opens, and treated as "us" by `recoverCrashed`
   * (whose runs are never marked crashed). Defaults to `process.pid`; tests pass the pid of a
   * process that has exited to create the runs a crashed process would have left.
   */
  readonly pid?: number
}
