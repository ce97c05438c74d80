import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The package's native addons (SQLite, FAISS) are safest in forked processes.
    pool: "forks",
    testTimeout: 120_000
  }
})
