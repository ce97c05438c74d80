/**
 * Stage kinds: reusable, registered steps. A kind declares its version, a config Schema (with
 * defaults), named inputs (artifact kinds), its output artifact kind, which layer settings change
 * its results, and `run`. A kind is written with full types through `defineStageKind`; the runtime
 * handles kinds in the erased `StageKind` form, with config decoded through the kind's own Schema.
 */
import type { Effect } from "effect"
import { Schema } from "effect"
import type { ArtifactDescriptor, ArtifactKind } from "./artifact.js"
import type { ArtifactStoreError, LedgerError, StageError } from "./errors.js"
import type { ArtifactStore } from "./services/artifact-store.js"
import type { Checkpoint } from "./services/checkpoint.js"
import type { StageProgress } from "./services/progress.js"

/**
 * What a stage may fail with. `StageError` says whether a retry can help; store and ledger errors
 * from the runtime's own services are never retried.
 */
export type StageFailure = StageError | ArtifactStoreError | LedgerError

/** Services the runtime provides to every stage, scoped to that stage's attempt. */
export type StageServices = ArtifactStore | Checkpoint | StageProgress

export interface StageInput<A extends ArtifactDescriptor = ArtifactDescriptor> {
  readonly artifact: ArtifactKind<A>
  readonly description: string
  /**
   * A list input: one or more stages feed it (`inputs: { evaluations: [a, b, c] }`, or every needed
   * stage producing the artifact kind), and `run` gets their descriptors in that order.
   */
  readonly many?: boolean
}

/** A list input (`many`): one or more stages producing `artifact`, in the order the pipeline lists them. */
export const inputList = <A extends ArtifactDescriptor>(
  artifact: ArtifactKind<A>,
  description: string
): StageInput<A> & { readonly many: true } => ({ artifact, description, many: true })

/** What a running stage knows about itself. */
export interface StageContext<C, I> {
  readonly stageId: string
  readonly runId: string
  /** 1 for the first try of this stage in this run, 2 for its first retry, and so on. */
  readonly attempt: number
  readonly config: C
  readonly inputs: I
  /**
   * Directory owned by this stage and cache key. Stable across attempts and runs, so a resumed
   * stage finds the chunks it committed before; emptied when the stage starts from scratch.
   */
  readonly workDir: string
  readonly cacheKey: string
}

type InputArtifacts<I extends Record<string, StageInput>> = {
  readonly [K in keyof I]: I[K] extends { readonly many: true } & StageInput<infer A>
    ? ReadonlyArray<A>
    : I[K] extends StageInput<infer A>
      ? A
      : never
}

/** The erased form the runtime works with. */
export interface StageKind<R = never> {
  /**
   * Brand: how the module loader recognises a stage kind among a module's exports. A tag, not a
   * class, so kinds made by another copy of this package are recognised too.
   */
  readonly _tag: "StageKind"
  readonly name: string
  readonly version: number
  readonly description: string
  readonly config: Schema.Schema<unknown, unknown>
  readonly inputs: Readonly<Record<string, StageInput>>
  readonly output: ArtifactKind
  /** Dotted `layers` settings that change this kind's results (e.g. `faiss.device`). */
  readonly resultLayers: ReadonlyArray<string>
  readonly run: (
    ctx: StageContext<unknown, Readonly<Record<string, ArtifactDescriptor | ReadonlyArray<ArtifactDescriptor>>>>
  ) => Effect.Effect<ArtifactDescriptor, StageFailure, R | StageServices>
}

export interface StageKindDefinition<
  C,
  CE,
  I extends Record<string, StageInput>,
  O extends ArtifactDescriptor,
  R
> {
  readonly name: string
  readonly version: number
  readonly description: string
  readonly config: Schema.Schema<C, CE>
  readonly inputs: I
  readonly output: ArtifactKind<O>
  readonly resultLayers?: ReadonlyArray<string>
  readonly run: (ctx: StageContext<C, InputArtifacts<I>>) => Effect.Effect<O, StageFailure, R | StageServices>
}

export const defineStageKind = <
  C,
  CE,
  I extends Record<string, StageInput>,
  O extends ArtifactDescriptor,
  R = never
>(
  definition: StageKindDefinition<C, CE, I, O, R>
): StageKind<Exclude<R, StageServices>> => ({
  _tag: "StageKind",
  name: definition.name,
  version: definition.version,
  description: definition.description,
  // The runtime decodes config with this very schema before calling `run`, and checks input
  // artifact kinds when it validates the wiring, so widening the types here is sound.
  config: definition.config as unknown as Schema.Schema<unknown, unknown>,
  inputs: definition.inputs,
  output: definition.output as unknown as ArtifactKind,
  resultLayers: definition.resultLayers ?? [],
  run: definition.run as unknown as StageKind<Exclude<R, StageServices>>["run"]
})

/**
 * A config field with a default. The default and description are also put on the field's schema
 * as annotations, so `pipeline list` can print them.
 */
export const field = <A, I>(schema: Schema.Schema<A, I>, defaultValue: A, description: string) =>
  Schema.optionalWith(schema.annotations({ description, default: defaultValue }), {
    default: () => defaultValue
  })

/** A config field without default: the pipeline file must set it. */
export const required = <A, I>(schema: Schema.Schema<A, I>, description: string) =>
  schema.annotations({ description })
