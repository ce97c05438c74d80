/**
 * A throwaway PostgreSQL server for tests: Debian's `postgresql` package (scripts/setup.sh installs
 * it), a new cluster made by initdb in a temp directory, listening on a free loopback port, with a
 * `pipeline` database; stopped and deleted afterwards. PostgreSQL refuses to run as root, so as
 * root the server runs as the `postgres` user the package creates. Never the system cluster
 * (`pg_ctlcluster` needs an init system that containers lack).
 */
import { execFile } from "node:child_process"
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"

const run = promisify(execFile)

/** A running server. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/pipeline`. */
  readonly url: string
  readonly port: number
  /** Stops the server (fast shutdown) and removes its directory. */
  readonly stop: () => Promise<void>
}

/** The newest installed server's bin directory (Debian keeps initdb off PATH). */
const serverBin = (): string => {
  const base = "/usr/lib/postgresql"
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, "bin", "initdb"))) : []
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0]
  if (newest === undefined) {
    throw new Error(
      "these tests need a PostgreSQL server: no initdb under /usr/lib/postgresql. Run 'npm test' as root (scripts/setup.sh " +
        "installs Debian's postgresql package) or 'sudo apt-get install -y postgresql'"
    )
  }
  return join(base, newest, "bin")
}

/** A free loopback TCP port (free when asked; good enough for tests on one machine). */
export const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const server = createServer()
    server.on("error", fail)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? done(address.port) : fail(new Error("no port"))))
    })
  })

const uidOf = async (user: string): Promise<{ uid: number; gid: number }> => {
  const [uid, gid] = await Promise.all([run("id", ["-u", user]), run("id", ["-g", user])])
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
}

/** Starts a fresh server. */
export const startPostgres = async (): Promise<PostgresServer> => {
  const bin = serverBin()
  const asRoot = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), "pipeline-pg-"))
  const data = join(dir, "data")
  const sock = join(dir, "sock")
  mkdirSync(sock)
  const owner = asRoot ? await uidOf("postgres") : undefined
  if (owner !== undefined) {
    chmodSync(dir, 0o755)
    for (const path of [dir, sock]) chownSync(path, owner.uid, owner.gid)
  }
  /** Runs a server binary as the server's user. */
  const server = (program: string, args: ReadonlyArray<string>) =>
    asRoot
      ? run("su", ["postgres", "-s", "/bin/sh", "-c", [join(bin, program), ...args.map((a) => `'${a.replaceAll("'", "'\\''")}'`)].join(" ")])
      : run(join(bin, program), [...args])
  const port = await freePort()
  await server("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
  // fsync off: a test database need not survive a power cut, and the tests must not wait on disks.
  const options = `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`
  await server("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-o", options, "-w", "-t", "60", "start"])
  await run("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres", "-q", "-c", "CREATE DATABASE pipeline"])
  return {
    url: `postgres://postgres@127.0.0.1:${port}/pipeline`,
    port,
    stop: async () => {
      await server("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]).catch(() => undefined)
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
