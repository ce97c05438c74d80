/**
 * The product's runtime services for one pipeline: the SQLite run ledger and the artifact store
 * under the pipeline's output directory, and the progress renderer the settings ask for.
 */
import { join } from "node:path"
import { Layer } from "effect"
import { ArtifactStoreFs } from "../../layers/artifact-store/fs-artifact-store.js"
import { RunLedgerSqlite } from "../../layers/ledger/sqlite-ledger.js"
import { ProgressAuto, ProgressPlain, ProgressRecorder, ProgressTerminal } from "../../layers/progress/index.js"
import type { LedgerError } from "../errors.js"
import type { ArtifactStore } from "../services/artifact-store.js"
import type { Progress } from "../services/progress.js"
import type { RunLedger } from "../services/run-ledger.js"
import type { PipelineSpec } from "../spec/pipeline-spec.js"

export type ProgressMode = "auto" | "tty" | "plain" | "off"

export const ledgerPath = (outputDir: string): string => join(outputDir, "ledger.sqlite")

const progressLayer = (mode: ProgressMode): Layer.Layer<Progress> => {
  switch (mode) {
    case "auto":
      return ProgressAuto.layer()
    case "tty":
      return ProgressTerminal.layer()
    case "plain":
      return ProgressPlain.layer()
    case "off":
      // Nothing rendered; the recorder is the cheapest sink that accepts every update.
      return Layer.provide(ProgressRecorder.layer, Layer.empty) as Layer.Layer<Progress>
  }
}

export const runtimeLayers = (
  spec: PipelineSpec,
  mode: ProgressMode
): Layer.Layer<RunLedger | ArtifactStore | Progress, LedgerError> =>
  Layer.mergeAll(RunLedgerSqlite.layer(ledgerPath(spec.outputDir)), ArtifactStoreFs.layer(spec.outputDir), progressLayer(mode))
