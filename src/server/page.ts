/**
 * The dashboard page and its static assets, read once at start from `src/server/assets/` under
 * the package root (the same files from `src/` and from the build; nothing from other hosts, so
 * the page works offline).
 *
 * The page is one template: the server puts the page state (origin, matches, or the loading /
 * error message) into it as JSON inside a `<script type="application/json">`, and `app.js` builds
 * the DOM from it with `textContent` only, so profile text is never parsed as HTML. The JSON is
 * made safe for a script element by escaping `<`, `>`, `&` and the two JavaScript line separators.
 */
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { Effect } from "effect"
import { packageRoot } from "../runtime/package-root.js"
import type { MatchResponse } from "./api-schema.js"

export const THEMES = ["red", "purple", "blue", "yellow", "white", "orange"] as const
export const DEFAULT_THEME = "red"

export interface PageState {
  readonly status: "ready" | "loading" | "error" | "not-found"
  /** The loading step or the error, in words. */
  readonly message: string
  /** For errors: the command that fixes it. */
  readonly hint: string | null
  readonly pipeline: string
  readonly run: string | null
  readonly match: MatchResponse | null
  readonly themes: ReadonlyArray<string>
  readonly defaultTheme: string
}

/** Static files by URL name, with their content types. Anything else under /assets/ is a 404. */
const ASSETS: Readonly<Record<string, string>> = {
  "app.js": "text/javascript; charset=utf-8",
  "style.css": "text/css; charset=utf-8",
  "favicon.svg": "image/svg+xml"
}

export interface Asset {
  readonly body: Uint8Array
  readonly contentType: string
}

export interface PageAssets {
  readonly render: (state: PageState) => string
  readonly asset: (name: string) => Asset | undefined
}

export const ASSETS_DIR = join("src", "server", "assets")

const STATE_PLACEHOLDER = "__PAGE_STATE__"

/** JSON that cannot end a `<script>` element or start a comment inside it. */
export const scriptSafeJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

export const loadPageAssets = Effect.gen(function* () {
  const dir = join(packageRoot(), ASSETS_DIR)
  const read = (name: string) =>
    Effect.tryPromise({
      try: () => readFile(join(dir, name)),
      catch: (cause) => new Error(`cannot read the dashboard asset ${join(dir, name)}: ${String(cause)}`)
    })
  const template = (yield* read("index.html")).toString("utf8")
  if (!template.includes(STATE_PLACEHOLDER)) return yield* Effect.fail(new Error(`index.html lacks ${STATE_PLACEHOLDER}`))
  const assets = new Map<string, Asset>()
  for (const [name, contentType] of Object.entries(ASSETS)) assets.set(name, { body: yield* read(name), contentType })
  const [before, after] = template.split(STATE_PLACEHOLDER) as [string, string]
  return {
    render: (state) => before + scriptSafeJson(state) + after,
    asset: (name) => assets.get(name)
  } satisfies PageAssets
})
