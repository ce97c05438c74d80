/**
 * The profile world's record: vocabularies and codes, the columnar ProfileChunk, its generator and
 * the decoded Profile with its Schema.
 */
export * from "./vocabulary.js"
export { SUPPORTED_LOCALES, isSupportedLocale, type Locale } from "./locale.js"
export { BYTES_PER_PROFILE, chunkTransferList, codesFromBytes, type ProfileChunk, type ProfileCodes } from "./chunk.js"
export { CONTACT_SHARE, MAX_CHUNK_SIZE, generateChunk } from "./generate.js"
export { DESCRIPTION_LENGTH_BOUNDS, TEMPLATE_COUNT } from "./description.js"
export { FIRST_NAMES_BY_SEX, LAST_NAMES, TWO_SURNAMES_SHARE } from "./names.js"
export { Profile, profileAt } from "./record.js"
