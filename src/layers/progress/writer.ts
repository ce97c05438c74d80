/** Where renderers write. Standard error by default: standard output is kept for command output. */
export type ProgressWriter = (text: string) => void

export const stderrWriter: ProgressWriter = (text) => {
  process.stderr.write(text)
}
