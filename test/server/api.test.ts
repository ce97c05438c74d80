/**
 * The dashboard's HTTP API against a real `pipeline serve` child process over a small real run:
 * status codes, content types and JSON shapes (decoded with the server's own Schemas), the 400 /
 * 404 / 405 / 413 / 414 cases, the redirect, the ranking rules, and scores equal to the domain's.
 */
import { request as httpRequest } from "node:http"
import { Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { matchScore, type MatchProfile } from "../../src/domain/matching/index.js"
import { ApiError, ApiProfile, Health, MatchResponse, SearchResponse } from "../../src/server/api-schema.js"
import type { PageState } from "../../src/server/page.js"
import { tempDir } from "../runtime/harness.js"
import { makeServedRun, type RunningServer, SCRIPT_NAME, SCRIPT_PROFILE_ID, startServer, waitUntilLoaded } from "./served-run.js"

const PROFILES = 3000
let server: RunningServer

const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, { redirect: "manual", ...init })
const getJson = async <A, I>(schema: Schema.Schema<A, I>, path: string, status = 200): Promise<A> => {
  const response = await get(path)
  expect(response.status, path).toBe(status)
  expect(response.headers.get("content-type"), path).toMatch(/^application\/json/)
  return Schema.decodeUnknownSync(schema)(await response.json())
}
const expectBadParameter = async (path: string, parameter: string) => {
  const body = await getJson(ApiError, path, 400)
  expect(body.parameter, path).toBe(parameter)
  expect(body.error).toContain(parameter)
}
/** fetch() refuses a GET with a body; node:http sends one. Resolves to the status code. */
const getWithBody = (path: string, body: string) =>
  new Promise<number>((resolveStatus, reject) => {
    const request = httpRequest(`${server.url}${path}`, { method: "GET", headers: { "content-length": Buffer.byteLength(body) } }, (response) => {
      response.resume()
      resolveStatus(response.statusCode ?? 0)
    })
    request.on("error", reject)
    request.end(body)
  })
/** The page state embedded in the HTML. */
const pageState = (html: string): PageState => {
  const m = /<script id="pageState" type="application\/json">(.*?)<\/script>/s.exec(html)
  expect(m).not.toBeNull()
  return JSON.parse(m![1]!) as PageState
}
const asMatchProfile = (p: ApiProfile): MatchProfile => ({
  platforms: p.platforms,
  availability: p.availability,
  games: p.favouriteGames,
  styles: p.playStyles,
  interaction: p.desiredInteraction
})

beforeAll(async () => {
  const run = makeServedRun(PROFILES)
  server = await startServer(run.args)
  expect((await waitUntilLoaded(server.url)).status).toBe("ready")
})

afterAll(async () => {
  await server?.stop()
})

describe("pipeline serve: JSON API", () => {
  it("reports its load state, counts and index on /healthz", async () => {
    const health = await getJson(Health, "/healthz")
    expect(health.status).toBe("ready")
    expect(health.pipeline).toBe("quick")
    expect(health.profiles).toBe(PROFILES)
    expect(health.embeddingDim).toBe(128)
    expect(health.index?.ntotal).toBe(PROFILES)
    expect(health.index?.metric).toBe("ip")
    expect(health.run).toMatch(/^\d{8}-\d{6}-/)
  })

  it("ranks an origin's matches: sorted, origin excluded, gated, scores equal to the domain's", async () => {
    let seenMatches = 0
    for (const id of [1, 2, 3, 500, 1234, PROFILES]) {
      const body = await getJson(MatchResponse, `/api/match/${id}`)
      expect(body.origin.id).toBe(id)
      expect(body.matches.length).toBeLessThanOrEqual(10)
      expect(body.candidates).toBeLessThanOrEqual(251)
      expect(body.passedGates).toBeLessThanOrEqual(body.candidates)
      const ids = body.matches.map((m) => m.id)
      expect(ids).not.toContain(id)
      expect(new Set(ids).size).toBe(ids.length)
      for (let i = 1; i < body.matches.length; i++) expect(body.matches[i - 1]!.score).toBeGreaterThanOrEqual(body.matches[i]!.score)
      for (const m of body.matches) {
        expect(m.profile.id).toBe(m.id)
        const reference = matchScore(asMatchProfile(body.origin), asMatchProfile(m.profile))
        expect(m.score).toBe(reference.score)
        expect(m.components).toEqual(reference.components)
        expect(m.score).toBeGreaterThanOrEqual(body.minScore)
        expect(m.components.platforms).toBeGreaterThanOrEqual(m.gates.platforms)
        expect(m.components.availability).toBeGreaterThanOrEqual(m.gates.availability)
        const weightSum = Object.values(m.weights).reduce((a, b) => a + b, 0)
        expect(weightSum).toBeCloseTo(1, 9)
      }
      seenMatches += body.matches.length
    }
    expect(seenMatches).toBeGreaterThan(0)
  })

  it("honours top and candidates", async () => {
    const few = await getJson(MatchResponse, "/api/match/10?top=3&candidates=40")
    expect(few.matches.length).toBeLessThanOrEqual(3)
    expect(few.candidates).toBeLessThanOrEqual(40)
    const many = await getJson(MatchResponse, "/api/match/10?top=3")
    // More candidates can only find matches at least as good.
    if (few.matches.length > 0) expect(many.matches[0]!.score).toBeGreaterThanOrEqual(few.matches[0]!.score)
  })

  it("serves one profile, and finds profiles by name", async () => {
    const profile = await getJson(ApiProfile, "/api/profiles/42")
    expect(profile.id).toBe(42)
    const first = profile.name.split(" ")[0]!
    const found = await getJson(SearchResponse, `/api/profiles?q=${encodeURIComponent(first.toLowerCase())}&limit=5`)
    expect(found.profiles.length).toBeGreaterThan(0)
    expect(found.profiles.length).toBeLessThanOrEqual(5)
    for (const p of found.profiles) expect(p.name.toLowerCase()).toContain(first.toLowerCase())
    const percent = await getJson(SearchResponse, "/api/profiles?q=%25")
    expect(percent.profiles).toEqual([]) // `%` is taken literally, not as a LIKE wildcard
    expect((await getJson(ApiProfile, `/api/profiles/${SCRIPT_PROFILE_ID}`)).name).toBe(SCRIPT_NAME)
  })

  it("answers unknown ids with 404 and bad parameters with 400 naming the parameter", async () => {
    expect((await getJson(ApiError, `/api/match/${PROFILES + 1}`, 404)).error).toContain(String(PROFILES + 1))
    await getJson(ApiError, "/api/profiles/999999", 404)
    await expectBadParameter("/api/match/abc", "id")
    await expectBadParameter("/api/match/-1", "id")
    await expectBadParameter("/api/match/1?top=0", "top")
    await expectBadParameter("/api/match/1?top=2.5", "top")
    await expectBadParameter("/api/match/1?candidates=x", "candidates")
    await expectBadParameter("/api/profiles", "q")
    await expectBadParameter("/api/profiles?q=ana&limit=1000", "limit")
  })

  it("refuses other methods, bodies, long URLs and unknown routes", async () => {
    expect((await get("/api/profiles/1", { method: "POST", body: "x" })).status).toBe(405)
    expect((await get("/api/profiles/1", { method: "GET", headers: { "content-length": "0" } })).status).toBe(200)
    expect((await get(`/api/profiles?q=${"a".repeat(3000)}`)).status).toBe(414)
    expect(await getWithBody("/api/profiles/1", "hello")).toBe(413)
    expect((await get("/healthz", { method: "HEAD" })).status).toBe(200)
    const unknown = await getJson(ApiError, "/nope", 404)
    expect(unknown.error).toContain("/nope")
  })
})

describe("pipeline serve: pages", () => {
  it("serves a random origin on /, with its matches embedded", async () => {
    const response = await get("/")
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toMatch(/^text\/html/)
    const html = await response.text()
    for (const fragment of ["<html", "<head", "<body", "<title>Matchmaking Dashboard Avançado", '<select id="themeSelector"', 'value="red"', 'id="mainContentArea"']) {
      expect(html).toContain(fragment)
    }
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/) // nothing from other hosts
    const state = pageState(html)
    expect(state.status).toBe("ready")
    expect(Schema.decodeUnknownSync(MatchResponse)(state.match).origin.id).toBeGreaterThan(0)
  })

  it("redirects /new_match to a cache-busting /", async () => {
    const response = await get("/new_match")
    expect(response.status).toBe(302)
    expect(response.headers.get("location")).toMatch(/^\/\?t=\d+(\.\d+)?$/)
  })

  it("serves a chosen origin on /profiles/:id, escaping its text in the page", async () => {
    const html = await (await get(`/profiles/${SCRIPT_PROFILE_ID}`)).text()
    expect(html).not.toContain(SCRIPT_NAME)
    const state = pageState(html)
    expect(state.match?.origin.name).toBe(SCRIPT_NAME)
    expect((await get(`/profiles/${PROFILES + 5}`)).status).toBe(404)
    expect((await get("/profiles/abc")).status).toBe(400)
  })

  it("serves its assets and nothing else under /assets", async () => {
    const js = await get("/assets/app.js")
    expect(js.status).toBe(200)
    expect(js.headers.get("content-type")).toMatch(/javascript/)
    expect((await get("/assets/style.css")).headers.get("content-type")).toMatch(/^text\/css/)
    expect((await get("/assets/..%2Fpage.ts")).status).toBe(404)
  })
})

describe("pipeline serve: no artifacts", () => {
  it("listens, reports the error with the command to run, and shuts down cleanly", async () => {
    const empty = await startServer(["pipelines/quick.yaml", "--set", `layers.store.dir=${tempDir("serve-empty-")}`])
    try {
      const health = Schema.decodeUnknownSync(Health)(await (await fetch(`${empty.url}/healthz`)).json())
      const final = health.status === "loading" ? await waitUntilLoaded(empty.url) : health
      expect(final.status).toBe("error")
      const page = await fetch(`${empty.url}/`)
      expect(page.status).toBe(503)
      const state = pageState(await page.text())
      expect(state.status).toBe("error")
      expect(state.hint).toBe("pipeline run pipelines/quick.yaml")
      const api = await fetch(`${empty.url}/api/match/1`)
      expect(api.status).toBe(503)
      expect(Schema.decodeUnknownSync(ApiError)(await api.json()).error).toContain("pipeline run pipelines/quick.yaml")
    } finally {
      expect(await empty.stop()).toBe(0)
    }
    expect(empty.output()).toContain("dashboard stopped")
  })
})
