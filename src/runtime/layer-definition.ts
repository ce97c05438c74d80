/**
 * Layer definitions: a service Layer that a pipeline file configures under `layers.<name>:`.
 *
 * A definition names the settings key, gives the settings Schema (decoded by the loader with
 * defaults applied, so an unknown setting gets a did-you-mean at its line and column, like the
 * shipped layers), and builds the Layer from the decoded settings. The shipped services (FAISS, the
 * worker pool, SQLite) are defined this way, and so are a user module's own.
 */
import type { Layer } from "effect"
import type { Schema } from "effect"

/** What building a defined layer may fail with: anything with a message (it is reported as such). */
export interface LayerBuildFailure {
  readonly message: string
}

/**
 * The erased form the runtime works with. `ROut` defaults to `never`: a Layer is contravariant in
 * what it provides, so every definition is a `LayerDefinition<never>`.
 */
export interface LayerDefinition<ROut = never> {
  /**
   * Brand: how the module loader recognises a layer definition among a module's exports (a tag,
   * not a class, so definitions made by another copy of this package are recognised too).
   */
  readonly _tag: "LayerDefinition"
  /** The key under `layers:` (lowercase letters, digits and '-'). */
  readonly name: string
  readonly description: string
  /** Decodes `layers.<name>` (absent: from `{}`, so every setting needs a default or is required). */
  readonly settings: Schema.Schema<unknown, unknown>
  /** The Layer, from the decoded settings. It may need the shipped services (Sqlite, Faiss, ...). */
  readonly layer: (settings: unknown) => Layer.Layer<ROut, LayerBuildFailure, never>
}

export interface LayerDefinitionSpec<Name extends string, S, SE, ROut, E extends LayerBuildFailure> {
  readonly name: Name
  readonly description: string
  readonly settings: Schema.Schema<S, SE>
  readonly layer: (settings: S) => Layer.Layer<ROut, E, never>
}

/** Layer keys: what `layers.<name>` may be called. */
export const LAYER_NAME = /^[a-z][a-z0-9-]*$/

/**
 * Defines a configurable layer. Export it from a module a pipeline names under `kinds:` and the
 * `pipeline` command validates `layers.<name>` with `settings` and provides `layer(settings)` to
 * every stage of the run.
 *
 * @example
 * export const Greeting = defineLayer({
 *   name: "greeting",
 *   description: "how summaries greet their reader",
 *   settings: Schema.Struct({ word: field(Schema.String, "hello", "the greeting") }),
 *   layer: (settings) => Layer.succeed(Greeter, { greet: (who) => `${settings.word}, ${who}` })
 * })
 */
export const defineLayer = <Name extends string, S, SE, ROut, E extends LayerBuildFailure>(
  spec: LayerDefinitionSpec<Name, S, SE, ROut, E>
): LayerDefinition<ROut> & { readonly name: Name } => ({
  _tag: "LayerDefinition",
  name: spec.name,
  description: spec.description,
  // The loader decodes settings with this very schema before calling `layer`, so erasing the
  // settings type here is sound.
  settings: spec.settings as unknown as Schema.Schema<unknown, unknown>,
  layer: spec.layer as unknown as (settings: unknown) => Layer.Layer<ROut, LayerBuildFailure, never>
})
