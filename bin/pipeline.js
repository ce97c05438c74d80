#!/usr/bin/env node
// The `pipeline` command: runs the compiled CLI (npm install builds dist/ via `prepare`).
import "../dist/main.js"
