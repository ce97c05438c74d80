/**
 * What every dashboard response carries and what every request must show before it is routed:
 *
 * - **Security headers** on every answer (errors included): a strict Content-Security-Policy (the
 *   page loads its one script and one stylesheet from this server and fetches only this server;
 *   no inline script or style, no frames, no plugins), `X-Content-Type-Options: nosniff`,
 *   `X-Frame-Options: DENY` (with the CSP's `frame-ancestors 'none'`) and `Referrer-Policy:
 *   no-referrer`.
 * - **A Host allow-list**: a web page on another site can point its own DNS name at 127.0.0.1
 *   (DNS rebinding) and read the API from the user's browser; its requests still carry that
 *   name as `Host`. Only loopback names (`localhost`, `127.0.0.1`, `[::1]`, any port), the bound
 *   `--host`, its interface addresses and host name when it is a wildcard, and `--allow-host`
 *   names are answered; any other Host gets 421 with a short text body.
 */
import { hostname, networkInterfaces } from "node:os"
import { isIP } from "node:net"
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import type { HttpApp } from "@effect/platform"
import { Cause, Effect } from "effect"
import { ApiError } from "./api-schema.js"

/** The policy the page passes (test/server/browser.test.ts fails on any CSP violation). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'"
].join("; ")

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin"
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"]

/** An address that only this machine can reach: `localhost`, 127.0.0.0/8, `::1`. */
export const isLoopback = (host: string): boolean => {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, "$1")
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

/** `0.0.0.0`, `::` and an empty host bind every interface. */
const isWildcard = (host: string): boolean => host === "" || host === "0.0.0.0" || host === "::" || host === "[::]"

/** Every address and name this machine answers to, for a wildcard bind. */
const machineNames = (): Array<string> => {
  const names = [hostname()]
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.push(a.address.replace(/%.*$/, ""))
  return names
}

/**
 * The host names (lowercase, IPv6 without brackets) a request's `Host` may carry when the server
 * binds `bindHost`; `extra` are the `--allow-host` names.
 */
export const allowedHosts = (bindHost: string, extra: ReadonlyArray<string> = []): ReadonlySet<string> => {
  const names = [...LOOPBACK_NAMES, ...extra, ...(isWildcard(bindHost) ? machineNames() : [bindHost])]
  return new Set(names.map((n) => n.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1")).filter((n) => n !== ""))
}

/**
 * The host name of a `Host` header (`name`, `name:port`, `[v6]`, `[v6]:port`), lowercase and
 * without brackets, or undefined when it is not of that form.
 */
export const hostOfHeader = (header: string): string | undefined => {
  const h = header.trim().toLowerCase()
  const v6 = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(h)
  if (v6 !== null) return isIP(v6[1] as string) === 6 ? v6[1] : undefined
  const named = /^([a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(h)
  return named === null ? undefined : named[1]
}

/** Whether a request's `Host` header (absent: undefined) names this server. */
export const isAllowedHost = (header: string | undefined, allowed: ReadonlySet<string>): boolean => {
  if (header === undefined) return false
  const host = hostOfHeader(header)
  return host !== undefined && allowed.has(host.replace(/\.$/, ""))
}

const withHeaders = (response: HttpServerResponse.HttpServerResponse) => HttpServerResponse.setHeaders(response, SECURITY_HEADERS)

/**
 * `app` behind the Host check, with the security headers on every response; a defect (a bug, or
 * a row the store cannot decode) becomes a JSON 500 carrying the headers too, not the platform's
 * bare one.
 */
export const withSecurity = <E, R>(app: HttpApp.Default<E, R>, allowed: ReadonlySet<string>) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const host = request.headers["host"]
    if (!isAllowedHost(host, allowed)) {
      return withHeaders(
        HttpServerResponse.text(`misdirected request: this server does not answer to host '${host ?? ""}'\n`, {
          status: 421,
          headers: { "cache-control": "no-store" }
        })
      )
    }
    return withHeaders(yield* app)
  }).pipe(
    Effect.catchAllCause((cause) => {
      if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause)
      const error = Cause.squash(cause)
      const message = error instanceof Error ? error.message : String(error)
      return HttpServerResponse.schemaJson(ApiError)(
        { error: `internal error: ${message}` },
        { status: 500, headers: { "cache-control": "no-store" } }
      ).pipe(Effect.orDie, Effect.map(withHeaders))
    })
  )
