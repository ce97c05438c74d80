/**
 * Artifacts: what a stage produced, as a small descriptor pointing at data it persisted.
 *
 * Every descriptor has a `kind` (so wiring can be type-checked before anything runs) and a
 * `digest` of the data it describes (so downstream cache keys change exactly when the data does).
 * The bulk bytes stay on disk; stages exchange only descriptors.
 */
import { Schema } from "effect"

export interface ArtifactKind<A extends ArtifactDescriptor = ArtifactDescriptor> {
  readonly name: string
  readonly description: string
  /** Decodes a descriptor (from a stage or from the ledger's JSON) into `A`. */
  readonly schema: Schema.Schema.AnyNoContext
  /**
   * Type-level only: the descriptor type. Kept apart from `schema` (which is invariant in its
   * type) so that an `ArtifactKind<Specific>` is usable where any `ArtifactKind` is expected.
   */
  readonly "~descriptor"?: A
}

export interface ArtifactDescriptor {
  readonly kind: string
  readonly digest: string
}

/**
 * Declares an artifact kind from its extra fields. The descriptor schema always carries
 * `kind` (a literal, the kind's name) and `digest` (hex sha256 of the data).
 */
export const defineArtifactKind = <Name extends string, Fields extends Schema.Struct.Fields>(
  name: Name,
  description: string,
  fields: Fields
) => {
  type Descriptor = Schema.Struct.Type<Fields> & { readonly kind: Name; readonly digest: string }
  const schema = Schema.Struct({
    ...fields,
    kind: Schema.Literal(name),
    digest: Schema.String
  })
  return {
    name,
    description,
    schema: schema as unknown as Schema.Schema.AnyNoContext
  } as ArtifactKind<Descriptor> & { readonly name: Name }
}

export type ArtifactOf<K> = K extends ArtifactKind<infer A> ? A : never
