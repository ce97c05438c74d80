#!/usr/bin/env node
// The `pipeline` command: runs the compiled CLI (npm install builds dist/ via `prepare`).
import { main } from "../dist/runtime/cli/main.js"

main(process.argv.slice(2))
