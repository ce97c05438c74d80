/**
 * Reading a config Schema's fields back out of its AST: the names a pipeline file may use (for
 * unknown-key checks with a did-you-mean) and a description of each field (for `pipeline list`).
 * Stage configs are `Schema.Struct`s whose defaulted fields (`field()` in stage-kind.ts) turn the
 * struct into a Transformation between two TypeLiterals; the encoded (`from`) side is what users
 * write, so that is the side we read.
 */
import { Option, SchemaAST as AST } from "effect"

/** Anything with a Schema AST; accepts every `Schema` regardless of its type parameters. */
export interface HasAst {
  readonly ast: AST.AST
}

export interface FieldDescription {
  readonly name: string
  /** Human-readable expected type, e.g. `integer (positive)`, `"a" | "b"`, `list of string`. */
  readonly type: string
  /** True when the pipeline file must set the field (no default, not optional). */
  readonly required: boolean
  readonly default?: unknown
  readonly description?: string
}

/** The user-facing TypeLiteral of a struct-like schema, if it is one. */
const structLiteral = (ast: AST.AST): AST.TypeLiteral | undefined => {
  switch (ast._tag) {
    case "TypeLiteral":
      return ast
    case "Transformation":
    case "Refinement":
      return structLiteral(ast.from)
    case "Suspend":
      return structLiteral(ast.f())
    default:
      return undefined
  }
}

/**
 * Field names of a struct schema (plain `Schema.Struct` or one with defaulted fields), in
 * declaration order; `undefined` when the schema is not a struct (it then accepts other shapes
 * and there are no "field names" to check against).
 */
export const structFieldNames = (schema: HasAst): ReadonlyArray<string> | undefined => {
  const literal = structLiteral(schema.ast)
  return literal?.propertySignatures.map((p) => String(p.name))
}

/** Drops the `undefined` member that optional fields add to their encoded type. */
const withoutUndefined = (ast: AST.AST): AST.AST => {
  if (ast._tag !== "Union") return ast
  const members = ast.types.filter((t) => t._tag !== "UndefinedKeyword")
  if (members.length === ast.types.length) return ast
  return members.length === 1 && members[0] !== undefined ? members[0] : AST.Union.make(members, ast.annotations)
}

const refinementTitle = (ast: AST.Refinement): string =>
  Option.getOrElse(AST.getTitleAnnotation(ast), () => "filtered")

/** Human-readable expected type. Ignores `description` annotations: those say what, not which type. */
export const describeType = (input: AST.AST): string => {
  const ast = withoutUndefined(input)
  switch (ast._tag) {
    case "StringKeyword":
      return "string"
    case "NumberKeyword":
      return "number"
    case "BooleanKeyword":
      return "boolean"
    case "UnknownKeyword":
    case "AnyKeyword":
      return "any value"
    case "Literal":
      return ast.literal === null ? "null" : JSON.stringify(ast.literal)
    case "UndefinedKeyword":
      return "nothing"
    case "Enums":
      return ast.enums.map(([, value]) => JSON.stringify(value)).join(" | ")
    case "Union":
      return ast.types.map(describeType).join(" | ")
    case "TupleType": {
      const rest = ast.rest[0]
      if (ast.elements.length === 0 && rest !== undefined) return `list of ${describeType(rest.type)}`
      return `tuple [${ast.elements.map((e) => describeType(e.type)).join(", ")}]`
    }
    case "TypeLiteral": {
      const index = ast.indexSignatures[0]
      if (ast.propertySignatures.length === 0 && index !== undefined) return `map of ${describeType(index.type)}`
      return `object with ${ast.propertySignatures.map((p) => String(p.name)).join(", ")}`
    }
    case "Refinement": {
      const titles: Array<string> = []
      let base: AST.AST = ast
      while (base._tag === "Refinement") {
        titles.unshift(refinementTitle(base))
        base = base.from
      }
      let baseName = describeType(base)
      const intIndex = titles.indexOf("int")
      if (baseName === "number" && intIndex >= 0) {
        baseName = "integer"
        titles.splice(intIndex, 1)
      }
      return titles.length === 0 ? baseName : `${baseName} (${titles.join(", ")})`
    }
    case "Transformation":
      return Option.getOrElse(AST.getTitleAnnotation(ast), () => describeType(ast.from))
    case "Suspend":
      return Option.getOrElse(AST.getIdentifierAnnotation(ast), () => "recursive value")
    default:
      return Option.getOrElse(
        Option.orElse(AST.getTitleAnnotation(ast), () => AST.getIdentifierAnnotation(ast)),
        () => String(ast)
      )
  }
}

/** `default` and `description` as put on a field's schema by `field()` / `required()`. */
const fieldAnnotations = (ast: AST.AST): { default?: unknown; description?: string } => {
  const target = withoutUndefined(ast)
  const result: { default?: unknown; description?: string } = {}
  const defaultValue = AST.getDefaultAnnotation(target)
  if (Option.isSome(defaultValue)) result.default = defaultValue.value
  const description = AST.getDescriptionAnnotation(target)
  if (Option.isSome(description)) result.description = description.value
  return result
}

/** One entry per field of a struct schema (empty for non-struct schemas), in declaration order. */
export const describeFields = (schema: HasAst): ReadonlyArray<FieldDescription> => {
  const literal = structLiteral(schema.ast)
  if (literal === undefined) return []
  return literal.propertySignatures.map((p) => {
    const annotations = fieldAnnotations(p.type)
    const hasDefault = "default" in annotations
    return {
      name: String(p.name),
      type: describeType(p.type),
      required: !p.isOptional && !hasDefault,
      ...annotations
    }
  })
}
