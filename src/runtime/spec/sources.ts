/**
 * Reads the documents a pipeline is made of and merges them in precedence order:
 * `<configDir>/default.yaml` < `<configDir>/<profile>.yaml` < the pipeline file. (`--set` comes
 * last, in overrides.ts.) Each file's nodes keep their own locations through the merge.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { suggestionText } from "../text/did-you-mean.js"
import { type IssueLog, nodeKind } from "./issue-log.js"
import { mergeNodes, type MapNode, type SourceNode } from "./source-tree.js"
import { readSourceFile } from "./read-source.js"
import { parseYamlSource } from "./yaml-source.js"

export interface SourceFiles {
  readonly file: string
  /** The pipeline's YAML text when it is not read from `file` (an in-memory pipeline); `file` names it in messages. */
  readonly text?: string | undefined
  readonly profile?: string | undefined
  readonly configDir: string
}

/** A config path as users would type it: relative to the working directory when inside it. */
export const displayPath = (absolute: string): string => {
  const relative = path.relative(process.cwd(), absolute)
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : absolute
}

/** Parses one file; a missing or malformed file is logged and gives `undefined`. */
const readDocument = (file: string, shown: string, log: IssueLog, what: string, text?: string): MapNode | undefined => {
  const read = text === undefined ? readSourceFile(file) : { text }
  if ("error" in read) {
    log.atLocation({ file: shown, line: read.line ?? 0, column: read.column ?? 0 }, [], `cannot read ${what}: ${read.error}`)
    return undefined
  }
  const node = parseYamlSource(read.text, shown, log)
  if (node === undefined) return undefined
  if (node._tag !== "Map") {
    log.at(node, [], `expected a map of settings (pipeline:, stages:, ...) at the top level, found ${nodeKind(node)}`)
    return undefined
  }
  return node
}

/** What is at `p`, for the config directory check. */
export const kindOfPath = (p: string): "missing" | "directory" | "a file" | "not a directory" => {
  try {
    const stat = fs.statSync(p)
    return stat.isDirectory() ? "directory" : stat.isFile() ? "a file" : "not a directory"
  } catch {
    return "missing"
  }
}

/** Names of the profiles in `configDir`: its `*.yaml` files other than `default.yaml`. */
export const availableProfiles = (configDir: string): ReadonlyArray<string> => {
  try {
    return fs
      .readdirSync(configDir)
      .filter((name) => name.endsWith(".yaml") && name !== "default.yaml")
      .map((name) => name.slice(0, -".yaml".length))
      .sort()
  } catch {
    return []
  }
}

/** A profile is a file name in the config directory, never a path out of it (`../x`). */
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

const readProfile = (files: SourceFiles, profile: string, log: IssueLog): MapNode | undefined | "failed" => {
  if (!PROFILE_NAME.test(profile)) {
    log.atLocation(
      { file: "--profile", line: 0, column: 0 },
      [],
      `invalid profile name '${profile}': expected the name of a .yaml file in ${displayPath(files.configDir)} (letters, digits, '.', '-' and '_', no path)`
    )
    return "failed"
  }
  const file = path.join(files.configDir, `${profile}.yaml`)
  if (!fs.existsSync(file)) {
    const known = availableProfiles(files.configDir)
    log.atLocation(
      { file: "--profile", line: 0, column: 0 },
      [],
      `unknown profile '${profile}': there is no ${displayPath(file)}; ${suggestionText(profile, known, "profiles")}`
    )
    return "failed"
  }
  return readDocument(file, displayPath(file), log, `profile '${profile}'`) ?? "failed"
}

/**
 * Every document of the pipeline, lowest precedence first (default config, profile, the file),
 * or `undefined` when a file is missing or not well-formed.
 */
export const readSourceDocuments = (files: SourceFiles, log: IssueLog): ReadonlyArray<MapNode> | undefined => {
  let failed = false
  const documents: Array<MapNode> = []
  const configKind = kindOfPath(files.configDir)
  if (configKind !== "missing" && configKind !== "directory") {
    log.atLocation({ file: displayPath(files.configDir), line: 0, column: 0 }, [], `the config directory is ${configKind}, expected a directory (of default.yaml and profiles)`)
    failed = true
  }
  const defaults = path.join(files.configDir, "default.yaml")
  if (fs.existsSync(defaults)) {
    const node = readDocument(defaults, displayPath(defaults), log, "default config")
    if (node === undefined) failed = true
    else documents.push(node)
  }
  if (files.profile !== undefined) {
    const node = readProfile(files, files.profile, log)
    if (node === "failed" || node === undefined) failed = true
    else documents.push(node)
  }
  const main = readDocument(files.file, files.file, log, "pipeline file", files.text)
  if (main === undefined || failed) return undefined
  documents.push(main)
  return documents
}

/**
 * The merged document, or `undefined` when a file is missing or not well-formed (later checks
 * would only repeat the same problem in other words).
 */
export const readSources = (files: SourceFiles, log: IssueLog): MapNode | undefined => {
  const documents = readSourceDocuments(files, log)
  if (documents === undefined) return undefined
  const main = documents[documents.length - 1]!
  if (documents.length === 1) return main
  const base = documents
    .slice(0, -1)
    .reduce<SourceNode>((acc, node) => mergeNodes(acc, node, "over"), { _tag: "Map", loc: main.loc, entries: [] })
  const merged = mergeNodes(base, main, "over")
  return merged._tag === "Map" ? merged : main
}
