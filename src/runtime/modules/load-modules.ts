/**
 * User modules: the `kinds:` list of a pipeline file (and of `config/*.yaml` under it) names
 * modules that export stage kinds, layer definitions and worker tasks:
 *
 *     kinds: [./stages/my-kinds.ts, some-package]
 *
 * A path (starting with `./`, `../` or `/`) is resolved from the directory of the file that names
 * it; anything else is a package, resolved the way Node resolves it from that directory. Every
 * document's list counts (a profile adds to the file's modules rather than replacing them).
 *
 * TypeScript modules load without a build step: before the first `.ts` module, tsx's ESM loader is
 * registered (once per process).
 *
 * A module that cannot be found, does not load, or exports something malformed is a
 * `PipelineInvalid` issue at the file, line and column of the entry that named it (exit code 2).
 */
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { Effect } from "effect"
import { messageOf } from "../errors.js"
import type { IssueLog } from "../spec/issue-log.js"
import { nodeKind } from "../spec/issue-log.js"
import type { SourceLocation } from "../spec/source-map.js"
import { childOf, type MapNode } from "../spec/source-tree.js"
import { collectContents, type ModuleContents } from "./module-contents.js"

/** One `kinds:` entry: what was written, where, and the directory it resolves from. */
export interface ModuleEntry {
  readonly specifier: string
  readonly loc: SourceLocation
  readonly baseDir: string
}

/** A module that loaded, with what it contributes. */
export interface LoadedModule {
  readonly entry: ModuleEntry
  /** Absolute path of the module's file. */
  readonly file: string
  readonly contents: ModuleContents
}

/** The `kinds:` entries of every document (lowest precedence first); malformed lists are logged. */
export const moduleEntriesOf = (documents: ReadonlyArray<MapNode>, log: IssueLog): ReadonlyArray<ModuleEntry> => {
  const entries: Array<ModuleEntry> = []
  for (const document of documents) {
    const node = childOf(document, "kinds")
    if (node === undefined || (node._tag === "Scalar" && node.value === null)) continue
    if (node._tag !== "List") {
      log.at(node, ["kinds"], `expected a list of modules, e.g. kinds: [./stages/my-kinds.ts, some-package], found ${nodeKind(node)}`)
      continue
    }
    node.items.forEach((item, i) => {
      if (item._tag !== "Scalar" || typeof item.value !== "string" || item.value.trim() === "") {
        log.at(item, ["kinds", i], `expected a module path or package name, found ${nodeKind(item)}`)
        return
      }
      entries.push({ specifier: item.value.trim(), loc: item.loc, baseDir: path.dirname(path.resolve(item.loc.file)) })
    })
  }
  return entries
}

const isPath = (specifier: string): boolean =>
  specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("/") || specifier === "." || specifier === ".."

/** The module's absolute file, or why it cannot be found. */
const resolveEntry = (entry: ModuleEntry): { readonly file: string } | { readonly error: string } => {
  if (isPath(entry.specifier)) {
    const file = path.resolve(entry.baseDir, entry.specifier)
    return existsSync(file) ? { file } : { error: `module '${entry.specifier}' not found: there is no ${file}` }
  }
  try {
    return { file: createRequire(path.join(entry.baseDir, "package.json")).resolve(entry.specifier) }
  } catch (cause) {
    return {
      error:
        `cannot find package '${entry.specifier}' from ${entry.baseDir} (${messageOf(cause).split("\n")[0]}); ` +
        "install it, or write a path starting with ./"
    }
  }
}

let typeScriptLoader: Promise<void> | undefined

/** Registers tsx's ESM loader once, so `import()` of a `.ts` file works in plain Node. */
const registerTypeScript = (): Promise<void> => {
  typeScriptLoader ??= import("tsx/esm/api").then((api) => {
    api.register()
  })
  return typeScriptLoader
}

const TYPESCRIPT = /\.(ts|mts|cts|tsx)$/

/**
 * Imports a module file. A TypeScript file needs tsx's loader registered before its first import
 * (Node remembers a failed import of a URL, so registering after a failure is too late).
 */
export const importModuleFile = async (file: string): Promise<Readonly<Record<string, unknown>>> => {
  if (TYPESCRIPT.test(file)) await registerTypeScript()
  return import(pathToFileURL(file).href) as Promise<Readonly<Record<string, unknown>>>
}

const loadOne = (entry: ModuleEntry, log: IssueLog): Effect.Effect<LoadedModule | undefined> =>
  Effect.gen(function* () {
    const resolved = resolveEntry(entry)
    if ("error" in resolved) {
      log.atLocation(entry.loc, ["kinds"], resolved.error)
      return undefined
    }
    const namespace = yield* Effect.either(
      Effect.tryPromise({ try: () => importModuleFile(resolved.file), catch: (cause) => cause })
    )
    if (namespace._tag === "Left") {
      log.atLocation(entry.loc, ["kinds"], `cannot load module '${entry.specifier}' (${resolved.file}): ${messageOf(namespace.left).split("\n")[0]}`)
      return undefined
    }
    const collected = collectContents(namespace.right)
    if ("problems" in collected) {
      for (const problem of collected.problems) log.atLocation(entry.loc, ["kinds"], `module '${entry.specifier}': ${problem}`)
      return undefined
    }
    return { entry, file: resolved.file, contents: collected.contents }
  })

/** Loads every entry, logging each one that fails; the same file named twice loads once. */
export const loadModules = (entries: ReadonlyArray<ModuleEntry>, log: IssueLog): Effect.Effect<ReadonlyArray<LoadedModule>> =>
  Effect.gen(function* () {
    const loaded: Array<LoadedModule> = []
    const files = new Set<string>()
    for (const entry of entries) {
      const module = yield* loadOne(entry, log)
      if (module === undefined || files.has(module.file)) continue
      files.add(module.file)
      loaded.push(module)
    }
    return loaded
  })
