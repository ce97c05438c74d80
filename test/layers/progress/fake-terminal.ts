/**
 * A tiny terminal emulator for the escape codes the terminal renderer uses (CR, LF, cursor up,
 * erase line, erase below, synchronized output, colour: counted, not drawn). Tests feed it the renderer's output and look at
 * the resulting screen, which is what a user would see: the only honest test of "no garbage".
 */
export class FakeTerminal {
  readonly rows: Array<string> = [""]
  row = 0
  col = 0
  /** Characters written at or past the last column (they would wrap on a real terminal). */
  overflow = 0
  writes = 0
  /** Colour (SGR) codes received. */
  colourCodes = 0

  constructor(readonly columns: number) {}

  readonly write = (text: string): void => {
    this.writes++
    const codes = /\u001b\[(\??)(\d*)([A-Za-z])/y
    for (let i = 0; i < text.length; ) {
      if (text[i] === "\u001b") {
        codes.lastIndex = i
        const match = codes.exec(text)
        if (match === null) throw new Error(`unknown escape at ${JSON.stringify(text.slice(i, i + 8))}`)
        this.escape(match[1] ?? "", Number(match[2] === "" ? "1" : match[2]), match[3] ?? "", match[2] ?? "")
        i = codes.lastIndex
        continue
      }
      const ch = text[i] ?? ""
      i++
      if (ch === "\r") this.col = 0
      else if (ch === "\n") {
        this.row++
        this.col = 0
        while (this.rows.length <= this.row) this.rows.push("")
      } else {
        // Autowrap, as real terminals do: a character past the last column starts the next row.
        if (this.col >= this.columns) {
          this.row++
          this.col = 0
          while (this.rows.length <= this.row) this.rows.push("")
        }
        if (this.col >= this.columns - 1) this.overflow++
        const line = (this.rows[this.row] ?? "").padEnd(this.col)
        this.rows[this.row] = line.slice(0, this.col) + ch + line.slice(this.col + 1)
        this.col++
      }
    }
  }

  private escape(privateMarker: string, n: number, command: string, raw: string): void {
    if (privateMarker === "?") {
      if (raw !== "2026" || (command !== "h" && command !== "l")) throw new Error(`unexpected mode ${raw}${command}`)
      return
    }
    switch (command) {
      case "A":
        this.row = Math.max(0, this.row - n)
        break
      case "K":
        if (raw !== "2") throw new Error(`unexpected erase ${raw}K`)
        this.rows[this.row] = ""
        break
      case "m":
        this.colourCodes++
        break
      case "J":
        this.rows[this.row] = (this.rows[this.row] ?? "").slice(0, this.col)
        this.rows.length = this.row + 1
        break
      default:
        throw new Error(`unexpected escape ${raw}${command}`)
    }
  }

  /** The screen's text lines, without the empty line the cursor rests on. */
  get screen(): Array<string> {
    const lines = [...this.rows]
    while (lines.length > 0 && lines.at(-1) === "") lines.pop()
    return lines
  }
}
