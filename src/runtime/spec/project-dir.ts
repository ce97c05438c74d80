/**
 * The project a pipeline file belongs to: the nearest directory at or above the file's own that
 * holds a `package.json` or a `config/` directory (the file's directory when none does). A
 * pipeline's defaults resolve there, not in the current directory: `config/` (default.yaml and
 * the profiles) and `out/<pipeline>/`, and a relative `layers.store.dir`. So `pipeline run
 * ../other/pipelines/x.yaml` writes where `pipeline run pipelines/x.yaml` from that project would.
 */
import { existsSync, statSync } from "node:fs"
import * as path from "node:path"

const isDirectory = (p: string): boolean => {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

export const projectDirOf = (pipelineFile: string): string => {
  const start = path.dirname(path.resolve(pipelineFile))
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json")) || isDirectory(path.join(dir, "config"))) return dir
    if (path.dirname(dir) === dir) return start
  }
}

/** The default config directory of a pipeline file: `<project>/config`. */
export const defaultConfigDir = (pipelineFile: string): string => path.join(projectDirOf(pipelineFile), "config")
