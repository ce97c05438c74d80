/**
 * Number and time formatting shared by the progress renderers. Fixed `en-US`-style grouping
 * (`40,000`) whatever the machine's locale, so logs from different machines compare line by line.
 */

/** `1234567.8` -> `1,234,568`. */
export const formatCount = (n: number): string => {
  if (!Number.isFinite(n)) return String(n)
  const rounded = Math.round(n)
  const digits = Math.abs(rounded).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")
  return rounded < 0 ? `-${digits}` : digits
}

/** Elapsed time for humans: `0.4s`, `12.3s`, `2m05s`, `1h02m`. */
export const formatDuration = (ms: number): string => {
  const seconds = Math.max(0, ms) / 1000
  if (seconds < 60) return `${seconds.toFixed(1)}s`
  const totalSeconds = Math.floor(seconds)
  const minutes = Math.floor(totalSeconds / 60)
  if (minutes < 60) return `${minutes}m${(totalSeconds % 60).toString().padStart(2, "0")}s`
  return `${Math.floor(minutes / 60)}h${(minutes % 60).toString().padStart(2, "0")}m`
}

/** Whole percent, floored so `99.9%` never shows as done. */
export const formatPercent = (done: number, total: number): string =>
  `${total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0}%`
