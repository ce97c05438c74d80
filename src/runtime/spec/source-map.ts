/** Where a value came from: a file and a 1-based line and column. */
export interface SourceLocation {
  readonly file: string
  readonly line: number
  readonly column: number
}
