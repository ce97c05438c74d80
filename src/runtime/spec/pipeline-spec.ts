/**
 * The validated, resolved form of a pipeline file: what the planner and scheduler work from.
 * Produced by `loadPipeline` (spec/load.ts) after YAML parsing, profile and `--set` merging,
 * `${params.x}` interpolation, Schema decoding of every stage's `with`, and the DAG checks.
 */
import type { SourceLocation } from "./source-map.js"

export interface RetryPolicy {
  /** Retries after the first try (0 = no retry). */
  readonly times: number
  /** First backoff delay in milliseconds; doubles each retry, with jitter. */
  readonly baseMs: number
  /** Upper bound of one backoff delay in milliseconds. */
  readonly maxMs: number
}

export interface StageSpec {
  readonly id: string
  /** Stage kind name (`uses:`). */
  readonly kind: string
  /** Config decoded by the kind's Schema (defaults applied). */
  readonly config: unknown
  /** The same config encoded back: canonical JSON data for cache keys and plan diffs. */
  readonly configEncoded: unknown
  /** Input name -> id of the stage whose artifact feeds it. */
  readonly inputs: Readonly<Record<string, string>>
  /** List inputs (`many`): input name -> the stages feeding it, in order. */
  readonly inputLists: Readonly<Record<string, ReadonlyArray<string>>>
  /** Every stage this one waits for: `needs:` plus the stages its inputs come from. */
  readonly needs: ReadonlyArray<string>
  readonly retry: RetryPolicy
  readonly timeoutMs: number | null
  /** Named resources the stage holds while it runs (each takes one slot). */
  readonly resources: ReadonlyArray<string>
  readonly location: SourceLocation
}

export interface PipelineSpec {
  readonly name: string
  readonly description: string
  /** Path of the pipeline file as given. */
  readonly file: string
  readonly params: Readonly<Record<string, unknown>>
  /** Service settings by layer name (`sqlite`, `faiss`, `workers`, `store`...). */
  readonly layers: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  /** Named resource -> number of slots. */
  readonly resources: Readonly<Record<string, number>>
  /** Stages in a topological order (dependencies first, file order among equals). */
  readonly stages: ReadonlyArray<StageSpec>
  /** Output directory: `layers.store.dir`, default `out/<pipeline>`. */
  readonly outputDir: string
}
