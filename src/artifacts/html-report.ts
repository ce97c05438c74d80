/**
 * `html-report`: a self-contained HTML report and its console text, `report.html` and `report.txt`
 * in the stage directory, both written atomically; the digest is the page's.
 *
 * The page is rendered into a template read at run time from the package's source tree
 * (`src/stages/profiles/templates/report.html`, found from the package root: package-root.ts), so
 * the build need not copy it.
 */
import { join } from "node:path"
import { Effect, Schema } from "effect"
import { type ArtifactOf, defineArtifactKind } from "../runtime/artifact.js"
import type { ArtifactStoreError, StageError } from "../runtime/errors.js"
import { packageRoot } from "../runtime/package-root.js"
import { ArtifactStore } from "../runtime/services/artifact-store.js"
import { readTextFile } from "./text-file.js"

export const HtmlReport = defineArtifactKind("html-report", "a self-contained HTML report and its console text", {
  path: Schema.String,
  textPath: Schema.String
})

/** An HtmlReport descriptor. */
export type HtmlReportDescriptor = ArtifactOf<typeof HtmlReport>

/** The template's path under the package root. */
export const TEMPLATE_RELATIVE_PATH = join("src", "stages", "profiles", "templates", "report.html")

/** The template's absolute path. */
export const templatePath = (): string => join(packageRoot(), TEMPLATE_RELATIVE_PATH)

/** The page template (report-render.ts fills it). */
export const readReportTemplate: Effect.Effect<string, StageError> = Effect.suspend(() =>
  readTextFile(templatePath(), "the report template")
)

/** Where a stage directory's report files go (a report lists them before it writes them). */
export const htmlReportPaths = (workDir: string): Pick<HtmlReportDescriptor, "path" | "textPath"> => ({
  path: join(workDir, "report.html"),
  textPath: join(workDir, "report.txt")
})

/** Writes the text, then the page, at `htmlReportPaths(workDir)`. */
export const writeHtmlReport = (
  workDir: string,
  report: { readonly text: string; readonly html: string }
): Effect.Effect<HtmlReportDescriptor, ArtifactStoreError, ArtifactStore> =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const { path, textPath } = htmlReportPaths(workDir)
    yield* store.writeFile(textPath, report.text)
    const digest = yield* store.writeFile(path, report.html)
    return { kind: "html-report" as const, path, textPath, digest }
  })
