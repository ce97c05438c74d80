/**
 * What the dashboard refuses before routing: methods other than GET and HEAD (405), URLs longer
 * than 2 KiB (414; Node already caps all headers at 16 KiB), and request bodies (413: no route
 * takes one). Unknown paths are a JSON 404 naming the path.
 */
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import type { HttpApp } from "@effect/platform"
import { Effect } from "effect"
import { ApiError } from "./api-schema.js"

export const MAX_URL_LENGTH = 2048

const refuse = (status: number, error: string, headers: Record<string, string> = {}) =>
  HttpServerResponse.schemaJson(ApiError)({ error }, { status, headers }).pipe(Effect.orDie)

export const withRequestLimits = <E, R>(app: HttpApp.Default<E, R>) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (request.method !== "GET" && request.method !== "HEAD") {
      return yield* refuse(405, `method ${request.method} is not allowed; the dashboard only answers GET`, { allow: "GET, HEAD" })
    }
    if (request.url.length > MAX_URL_LENGTH) return yield* refuse(414, `URL longer than ${MAX_URL_LENGTH} characters`)
    const length = Number(request.headers["content-length"] ?? "0")
    if (length > 0 || request.headers["transfer-encoding"] !== undefined) {
      return yield* refuse(413, "request bodies are not accepted")
    }
    return yield* app.pipe(
      Effect.catchIf(
        (e): e is E & { readonly _tag: "RouteNotFound" } =>
          typeof e === "object" && e !== null && "_tag" in e && e._tag === "RouteNotFound",
        () => refuse(404, `no route for ${request.method} ${request.url.split("?")[0]}`)
      )
    )
  })
