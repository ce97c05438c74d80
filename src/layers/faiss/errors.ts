/**
 * The one error of the Faiss service. `reason` says what kind of misuse or failure it was, so a
 * stage can decide what to do (a `busy` index can be awaited, `not-trained` is a bug in the caller,
 * `io` may be worth a retry); `op` names the call that failed.
 */
import { Data } from "effect"

export type FaissErrorReason =
  | "invalid-argument"
  | "dimension"
  | "not-finite"
  | "not-trained"
  | "busy"
  | "disposed"
  | "io"
  | "gpu-unavailable"
  | "addon-unavailable"
  | "unsupported"
  | "memory"
  | "library"

export class FaissError extends Data.TaggedError("FaissError")<{
  readonly reason: FaissErrorReason
  readonly op: string
  readonly message: string
  readonly cause?: unknown
}> {}

/** Native error codes (native/faiss/errors.h) to reasons. */
const reasonByCode: Readonly<Record<string, FaissErrorReason>> = {
  ERR_FAISS_ARGUMENT: "invalid-argument",
  ERR_FAISS_DIMENSION: "dimension",
  ERR_FAISS_NOT_FINITE: "not-finite",
  ERR_FAISS_NOT_TRAINED: "not-trained",
  ERR_FAISS_BUSY: "busy",
  ERR_FAISS_DISPOSED: "disposed",
  ERR_FAISS_IO: "io",
  ERR_FAISS_GPU: "gpu-unavailable",
  ERR_FAISS_MEMORY: "memory",
  ERR_FAISS_LIBRARY: "library"
}

/** Turns whatever the addon threw or rejected with into a FaissError for `op`. */
export const fromNativeError =
  (op: string) =>
  (error: unknown): FaissError => {
    if (error instanceof FaissError) return error
    const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : ""
    const message = error instanceof Error ? error.message : String(error)
    return new FaissError({ reason: reasonByCode[code] ?? "library", op, message, cause: error })
  }
