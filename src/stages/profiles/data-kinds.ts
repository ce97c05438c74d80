/** The profile data stage kinds (generate-profiles, feature-vectors, embeddings), for registries. */
import { embeddings } from "./embeddings.js"
import { featureVectors } from "./feature-vectors.js"
import { generateProfiles } from "./generate-profiles.js"

export const dataKinds = [generateProfiles, featureVectors, embeddings] as const
