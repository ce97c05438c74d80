/** Shared helpers for the loader tests: fixture paths and running `loadPipeline` to issues. */
import { Effect } from "effect"
import * as path from "node:path"
import type { SpecIssue } from "../../../src/runtime/errors.js"
import { type LoadOptions, loadPipeline } from "../../../src/runtime/spec/load.js"
import { testRegistry } from "./fixture-kinds.js"

export const fixtures = path.join("test", "fixtures", "pipelines")
export const badFixture = (name: string): string => path.join(fixtures, "bad", name)
export const configDir = path.join(fixtures, "config")
/** A config directory that does not exist: no default.yaml, no profiles. */
export const noConfig = path.join(fixtures, "no-config")

type Options = Omit<LoadOptions, "registry"> & { readonly registry?: LoadOptions["registry"] }

export const load = (options: Options) => loadPipeline({ registry: testRegistry, configDir: noConfig, ...options })

/** The issues of a load that must fail (the test dies if it succeeds). */
export const issuesOf = (options: Options): Effect.Effect<ReadonlyArray<SpecIssue>> =>
  Effect.matchEffect(load(options), {
    onFailure: (error) => Effect.succeed(error.issues),
    onSuccess: (spec) => Effect.die(new Error(`expected ${options.file} to be invalid, but it loaded as '${spec.name}'`))
  })

/** The single issue whose message contains `text`; fails with the whole list if not exactly one. */
export const issueWith = (issues: ReadonlyArray<SpecIssue>, text: string): SpecIssue => {
  const found = issues.filter((i) => i.message.includes(text))
  if (found.length !== 1 || found[0] === undefined) {
    throw new Error(`expected one issue containing ${JSON.stringify(text)}, got:\n${JSON.stringify(issues, null, 2)}`)
  }
  return found[0]
}
