/** Vectors of the profile world: the documented feature vector and the two embedding modes. */
export { FEATURE_DIM, FEATURE_LAYOUT, featuresInto } from "./features.js"
export {
  DEFAULT_ATTRIBUTE_WEIGHTS,
  DEFAULT_EMBEDDING_DIM,
  DEFAULT_EMBEDDING_NOISE,
  EMBEDDING_DIM_RANGE,
  EMBEDDING_MODES,
  embeddingsInto,
  type AttributeWeights,
  type EmbeddingMode,
  type EmbeddingOptions
} from "./embeddings.js"
export { AVAILABILITY_SIMILARITY, INTERACTION_SIMILARITY } from "./similarity-tables.js"
