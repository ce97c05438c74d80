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
  readonly schema: Schema.Schema<A, unknown>
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
  // Descriptors are decoded from the ledger's JSON, so the encoded side is `unknown` here.
  return {
    name,
    description,
    schema: schema as unknown as Schema.Schema<Descriptor, unknown>
  } satisfies ArtifactKind<Descriptor>
}

export type ArtifactOf<K> = K extends ArtifactKind<infer A> ? A : never
