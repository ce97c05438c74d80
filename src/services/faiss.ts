/**
 * The `Faiss` service as stages and artifact modules see it: the Tag, the shapes it speaks and its
 * errors. Which backend answers (native CPU/GPU, the TypeScript reference) is the pipeline's
 * choice (`layers.faiss`); a stage never imports a backend.
 */
export { Faiss } from "../layers/faiss/service.js"
export { FaissError, type FaissErrorReason } from "../layers/faiss/errors.js"
export { defaultNlist, defaultSearchParameters, DEFAULT_EF_SEARCH, DEFAULT_NPROBE_FRACTION } from "../layers/faiss/ann-defaults.js"
export { checkFactory, describeFactoryProblem, type FactoryCheck } from "../layers/faiss/factory-check.js"
export type * from "../layers/faiss/types.js"
