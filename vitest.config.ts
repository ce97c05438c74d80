import { availableParallelism } from "node:os"
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Hang guards, not speed limits: no test's pass may depend on how fast (or how loaded) the
    // machine is. A test that takes ten minutes is stuck; heavy figures live in `npm run bench`.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    teardownTimeout: 60_000,
    // Native addons (better-sqlite3, faiss) are safest in forked processes. One fork per core
    // (vitest's default is cores - 1: a single fork on 2 cores runs the files one after another;
    // many of them wait on child processes, so two overlap well). Not `singleFork`: one process
    // for every file would share native state and serialise the suite.
    pool: "forks",
    poolOptions: { forks: { maxForks: availableParallelism(), minForks: 1 } }
  }
})
