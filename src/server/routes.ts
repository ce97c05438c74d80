/**
 * The dashboard's routes (seed-spec §6.6, plus a JSON API):
 *
 * | route                                   | answer                                               |
 * |-----------------------------------------|------------------------------------------------------|
 * | GET /                                   | the page for a random origin (as the seed)           |
 * | GET /new_match                          | 302 to `/?t=<epoch seconds>` (the seed's cache buster) |
 * | GET /profiles/:id                       | the page for a chosen origin                         |
 * | GET /api/match/:id?top=10&candidates=251 | MatchResponse                                        |
 * | GET /api/profiles/:id                   | ApiProfile                                           |
 * | GET /api/profiles?q=name&limit=20       | SearchResponse: profiles whose name contains q       |
 * | GET /healthz                            | Health: load state, counts, index type               |
 * | GET /assets/:name                       | the page's script, styles and icon                   |
 *
 * Parameters are decoded with the Schemas of api-schema.ts: a bad one is a 400 naming it. Unknown
 * ids are 404s, a request before the data is loaded a 503 with `Retry-After`; API errors are JSON.
 */
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Data, Effect, ParseResult, type Schema } from "effect"
import {
  ApiError,
  ApiProfile,
  Health,
  MatchQuery,
  MatchResponse,
  ProfileIdParams,
  SearchQuery,
  SearchResponse
} from "./api-schema.js"
import { Dashboard, type DataState } from "./dashboard.js"
import type { MatchData } from "./match-data.js"
import { matchFor, ProfileNotFound } from "./matcher.js"
import { DEFAULT_THEME, type PageAssets, type PageState, THEMES } from "./page.js"

/** The data is not loaded (yet, or ever: `state` says which). */
class NotReady extends Data.TaggedError("NotReady")<{ readonly state: Exclude<DataState, { _tag: "Ready" }> }> {}

const readyData = Effect.gen(function* () {
  const state = yield* Effect.flatMap(Dashboard, (d) => d.state)
  if (state._tag !== "Ready") return yield* new NotReady({ state })
  return state.data
})

const json = <A, I>(schema: Schema.Schema<A, I>, body: A, status = 200) =>
  HttpServerResponse.schemaJson(schema)(body, { status, headers: { "cache-control": "no-store" } })

const apiError = (status: number, error: string, parameter?: string) =>
  json(ApiError, parameter === undefined ? { error } : { error, parameter }, status)

/** What the server is doing instead of serving: the loading step, or the failure and its fix. */
const notReadyMessage = (state: NotReady["state"]) =>
  state._tag === "Loading" ? state.step : `${state.message}; run: ${state.hint}`

/** The first parameter a ParseError is about, and what was wrong with it. */
const firstIssue = (error: ParseResult.ParseError) => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  const parameter = issue === undefined || issue.path.length === 0 ? "parameters" : String(issue.path[0])
  return { parameter, message: issue?.message ?? "invalid" }
}

const badParameter = (error: ParseResult.ParseError) => {
  const { parameter, message } = firstIssue(error)
  return apiError(400, `invalid parameter '${parameter}': ${message}`, parameter)
}

/** Maps the API's failures to JSON responses. */
const apiErrors = <E extends { readonly _tag: string }, R>(effect: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  effect.pipe(
    Effect.catchAll((error) => {
      if (ParseResult.isParseError(error)) return badParameter(error)
      if (error instanceof NotReady) {
        const message = error.state._tag === "Loading" ? `data is loading: ${notReadyMessage(error.state)}` : notReadyMessage(error.state)
        return apiError(503, message).pipe(Effect.map(HttpServerResponse.setHeader("retry-after", "1")))
      }
      if (error instanceof ProfileNotFound) return apiError(404, error.message)
      return apiError(500, "message" in error && typeof error.message === "string" ? error.message : error._tag)
    })
  )

const healthOf = (pipeline: string, state: DataState): Health => {
  if (state._tag !== "Ready") {
    return {
      status: state._tag === "Loading" ? "loading" : "error",
      message: notReadyMessage(state),
      pipeline,
      run: null,
      profiles: null,
      embeddingDim: null,
      index: null,
      loadMs: null
    }
  }
  const { data } = state
  const a = data.artifacts
  return {
    status: "ready",
    message: `serving run ${a.run.id}`,
    pipeline,
    run: a.run.id,
    profiles: data.encoded.count,
    embeddingDim: data.embeddings.dim,
    index: {
      factory: a.index.factory,
      metric: a.index.metric,
      ntotal: data.indexTotal,
      searchParameters: a.index.searchParameters,
      recallAt10: a.index.recallAt10
    },
    loadMs: state.loadMs
  }
}

const html = (body: string, status: number) =>
  HttpServerResponse.text(body, { status, contentType: "text/html; charset=utf-8", headers: { "cache-control": "no-store" } })

/** Renders the page for a state; what every state shares is filled in here. */
const renderPage = (
  assets: PageAssets,
  state: Pick<PageState, "status" | "message"> & Partial<Pick<PageState, "hint" | "run" | "match">>,
  status: number
) =>
  Effect.flatMap(Dashboard, (dashboard) =>
    html(
      assets.render({
        hint: null,
        run: null,
        match: null,
        ...state,
        pipeline: dashboard.pipeline,
        themes: THEMES,
        defaultTheme: DEFAULT_THEME
      }),
      status
    )
  )

/**
 * The page for origin `id` (random when undefined), or its loading, error or not-found state.
 * `top` and `candidates` come from the query string, as for the API.
 */
const page = (assets: PageAssets, id: number | undefined, query: typeof MatchQuery.Type) =>
  Effect.gen(function* () {
    const dashboard = yield* Dashboard
    const state = yield* dashboard.state
    if (state._tag === "Loading") return yield* renderPage(assets, { status: "loading", message: state.step }, 503)
    if (state._tag === "Failed") return yield* renderPage(assets, { status: "error", message: state.message, hint: state.hint }, 503)
    const data: MatchData = state.data
    const run = data.artifacts.run.id
    if (data.encoded.count === 0) return yield* renderPage(assets, { status: "error", message: "the profiles table is empty", run }, 503)
    const originId = id ?? data.profileIds.idAt(Math.floor(Math.random() * data.encoded.count))
    const result = yield* matchFor(data, { id: originId, ...query }, dashboard.config).pipe(Effect.either)
    if (result._tag === "Left") {
      const error = result.left
      return error._tag === "ProfileNotFound"
        ? yield* renderPage(assets, { status: "not-found", message: error.message, run }, 404)
        : yield* renderPage(assets, { status: "error", message: error.message, run }, 500)
    }
    return yield* renderPage(assets, { status: "ready", message: "", run, match: result.right }, 200)
  })

/** A bad URL parameter (400), shown as the page's error state. */
const badPage = (assets: PageAssets, error: ParseResult.ParseError) => {
  const { parameter, message } = firstIssue(error)
  return renderPage(assets, { status: "error", message: `parâmetro inválido '${parameter}': ${message}` }, 400)
}

const pageRoute = (assets: PageAssets, withId: boolean) =>
  Effect.gen(function* () {
    const id = withId ? (yield* HttpRouter.schemaPathParams(ProfileIdParams)).id : undefined
    const query = yield* HttpServerRequest.schemaSearchParams(MatchQuery)
    return yield* page(assets, id, query)
  }).pipe(Effect.catchTag("ParseError", (e) => badPage(assets, e)))

export const makeRouter = (assets: PageAssets) =>
  HttpRouter.empty.pipe(
    HttpRouter.get("/", pageRoute(assets, false)),
    HttpRouter.get(
      "/new_match",
      Effect.sync(() => HttpServerResponse.redirect(`/?t=${Date.now() / 1000}`, { status: 302 }))
    ),
    HttpRouter.get("/profiles/:id", pageRoute(assets, true)),
    HttpRouter.get(
      "/api/match/:id",
      apiErrors(
        Effect.gen(function* () {
          const { id } = yield* HttpRouter.schemaPathParams(ProfileIdParams)
          const query = yield* HttpServerRequest.schemaSearchParams(MatchQuery)
          const data = yield* readyData
          const dashboard = yield* Dashboard
          const body = yield* matchFor(data, { id, ...query }, dashboard.config)
          return yield* json(MatchResponse, body)
        })
      )
    ),
    HttpRouter.get(
      "/api/profiles/:id",
      apiErrors(
        Effect.gen(function* () {
          const { id } = yield* HttpRouter.schemaPathParams(ProfileIdParams)
          const data = yield* readyData
          const profile = data.store.byId(id)
          if (profile === undefined) return yield* new ProfileNotFound({ id })
          return yield* json(ApiProfile, profile)
        })
      )
    ),
    HttpRouter.get(
      "/api/profiles",
      apiErrors(
        Effect.gen(function* () {
          const { q, limit } = yield* HttpServerRequest.schemaSearchParams(SearchQuery)
          const data = yield* readyData
          return yield* json(SearchResponse, { q, profiles: data.store.searchByName(q.trim(), limit) })
        })
      )
    ),
    HttpRouter.get(
      "/healthz",
      Effect.gen(function* () {
        const dashboard = yield* Dashboard
        const state = yield* dashboard.state
        return yield* json(Health, healthOf(dashboard.pipeline, state), state._tag === "Ready" ? 200 : 503)
      }).pipe(Effect.orDie)
    ),
    HttpRouter.get(
      "/assets/:name",
      Effect.gen(function* () {
        const { name } = yield* HttpRouter.params
        const asset = name === undefined ? undefined : assets.asset(name)
        if (asset === undefined) return yield* apiError(404, `no asset '${name ?? ""}'`)
        return HttpServerResponse.uint8Array(asset.body, {
          contentType: asset.contentType,
          headers: { "cache-control": "public, max-age=300" }
        })
      }).pipe(Effect.orDie)
    ),
    HttpRouter.get("/favicon.ico", Effect.sync(() => HttpServerResponse.redirect("/assets/favicon.svg", { status: 301 })))
  )
