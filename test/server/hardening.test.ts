/**
 * `pipeline serve` as a hostile client meets it, against a real child process over a small real
 * run: security headers on every kind of answer, a foreign Host refused (DNS rebinding), integer
 * parameters strictly decimal, a non-loopback bind warned about, and a SIGTERM shutdown that slow
 * and idle clients cannot hold open.
 */
import { connect, type Socket } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeServedRun, type RunningServer, type ServedRun, startServer, waitUntilLoaded } from "./served-run.js"

let run: ServedRun
let server: RunningServer

/** One raw HTTP/1.1 request with the given Host header (fetch() will not send a foreign one). */
const rawGet = (url: string, path: string, host: string | undefined) =>
  new Promise<{ status: number; text: string }>((resolve, reject) => {
    const { hostname, port } = new URL(url)
    const socket = connect(Number(port), hostname)
    let data = ""
    socket.setEncoding("utf8").on("data", (d: string) => (data += d))
    socket.on("error", reject)
    socket.on("end", () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), text: data }))
    socket.write(`GET ${path} HTTP/1.1\r\n${host === undefined ? "" : `Host: ${host}\r\n`}Connection: close\r\n\r\n`)
  })

beforeAll(async () => {
  run = makeServedRun(1000)
  server = await startServer(run.args)
  expect((await waitUntilLoaded(server.url)).status).toBe("ready")
})

afterAll(async () => {
  await server?.stop()
})

describe("pipeline serve: web hardening", () => {
  it("puts a strict CSP, nosniff, frame and referrer policies on pages, API answers, errors and assets", async () => {
    for (const path of ["/", "/profiles/1", "/api/match/1", "/api/profiles/999999", "/healthz", "/assets/app.js", "/nowhere", "/api/match/1?top=x"]) {
      const response = await fetch(`${server.url}${path}`, { redirect: "manual" })
      const csp = response.headers.get("content-security-policy") ?? ""
      expect(csp, path).toContain("default-src 'none'")
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(csp, path).not.toContain("unsafe-inline")
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff")
      expect(response.headers.get("x-frame-options"), path).toBe("DENY")
      expect(response.headers.get("referrer-policy"), path).toBe("no-referrer")
    }
  })

  it("answers loopback Hosts with any port and refuses every other one with 421", async () => {
    const { port } = new URL(server.url)
    for (const host of ["127.0.0.1", `127.0.0.1:${port}`, `localhost:${port}`, "LOCALHOST", `[::1]:${port}`]) {
      expect((await rawGet(server.url, "/healthz", host)).status, host).toBe(200)
    }
    for (const host of ["evil.example", `evil.example:${port}`, "127.0.0.1.evil", `127.0.0.1.evil:${port}`, `localhost.evil.example:${port}`, "", "[::2]"]) {
      const answer = await rawGet(server.url, "/api/match/1", host)
      expect(answer.status, host).toBe(421)
      expect(answer.text, host).toContain("x-content-type-options: nosniff")
      expect(answer.text, host).not.toContain('"matches"')
    }
  })

  it("reads integer parameters as plain decimal digits only, else 400 naming the parameter", async () => {
    expect((await fetch(`${server.url}/api/match/1?top=5`)).status).toBe(200)
    for (const top of ["0x5", "5%20", "%205", "1e1", "%2B5", "-1", "5.0", "05", "0b1", "", "Infinity", "99999999999999999999", "0", "101"]) {
      const response = await fetch(`${server.url}/api/match/1?top=${top}`)
      expect(response.status, top).toBe(400)
      expect(((await response.json()) as { parameter?: string }).parameter, top).toBe("top")
    }
    for (const id of ["0x1", "1e0", "1.0", "%2B1", "01", "%201", "9007199254740993"]) {
      const response = await fetch(`${server.url}/api/profiles/${id}`)
      expect(response.status, id).toBe(400)
      expect(((await response.json()) as { parameter?: string }).parameter, id).toBe("id")
    }
    expect((await fetch(`${server.url}/profiles/1?candidates=0x10`)).status).toBe(400)
  })

  it("warns on stderr when bound to a non-loopback address, and answers a Host it was given", async () => {
    const wide = await startServer(run.args, ["--host", "0.0.0.0", "--allow-host", "dashboard.example"])
    try {
      await waitUntilLoaded(wide.url.replace("0.0.0.0", "127.0.0.1"))
      expect(wide.output()).toMatch(/warning: --host 0\.0\.0\.0 is not a loopback address/)
      const url = wide.url.replace("0.0.0.0", "127.0.0.1")
      expect((await rawGet(url, "/healthz", "dashboard.example")).status).toBe(200)
      expect((await rawGet(url, "/healthz", "evil.example")).status).toBe(421)
    } finally {
      await wide.stop()
    }
    expect(server.output()).not.toMatch(/warning: --host/)
  })

  it("shuts down on SIGTERM in bounded time with a half-sent request, an idle keep-alive socket and a trickling client", async () => {
    const other = await startServer(run.args)
    await waitUntilLoaded(other.url)
    const { hostname, port } = new URL(other.url)
    const sockets: Array<Socket> = []
    const open = (text: string) => {
      const s = connect(Number(port), hostname)
      s.on("error", () => undefined)
      s.on("data", () => undefined)
      s.write(text)
      sockets.push(s)
      return s
    }
    open("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n") // never finished
    open("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") // answered, then idle (keep-alive)
    const trickler = open("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    const drip = setInterval(() => trickler.write("X-Slow: 1\r\n"), 500)
    await new Promise((r) => setTimeout(r, 500))
    const started = Date.now()
    try {
      const code = await other.stop()
      // The grace is 5 s; 20 s leaves room for a loaded machine and still fails a two-minute hold.
      expect(Date.now() - started).toBeLessThan(20_000)
      expect(code).toBe(0)
    } finally {
      clearInterval(drip)
      for (const s of sockets) s.destroy()
    }
  }, 60_000)
})
