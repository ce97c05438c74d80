/** The Faiss service: tag, layers, settings, errors and shapes. */
export { Faiss } from "./service.js"
export { FaissNative, makeFaissNative, type NativeOptions } from "./native-layer.js"
export { FaissReference } from "./reference-layer.js"
export { FaissError, type FaissErrorReason } from "./errors.js"
export { FaissSettings, FaissDevice } from "./settings.js"
export * from "./types.js"
export { checkFactory, checkDimensions, describeFactoryProblem, type FactoryCheck } from "./factory-check.js"
export { defaultNlist, defaultSearchParameters, DEFAULT_EF_SEARCH, DEFAULT_NPROBE_FRACTION } from "./ann-defaults.js"
