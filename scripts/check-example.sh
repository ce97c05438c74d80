#!/usr/bin/env bash
# The example user project (examples/cluster-summary), as a user would have it: the package packed
# into a tarball, installed into a temp copy of the project offline (from npm's cache alone), the
# project type-checked (strict, .d.ts included), its test run, and its pipeline run by the
# shipped `pipeline` command (user module, layer setting and worker task on real worker threads).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/effect-pipelines-example.XXXXXX")
trap 'rm -rf "$work"' EXIT

cd "$root"
# The shipped addon carries the digest of the sources it was built from; make sure it is there.
node scripts/install-native.mjs >/dev/null
echo "example: packing effect-pipelines (dist/ as built)"
tarball=$(npm pack --ignore-scripts --silent --pack-destination "$work" | tail -1)

cp -r "$root/examples/cluster-summary" "$work/project"
cd "$work/project"
node "$root/scripts/example-lock.mjs" "$work/project" "$work/$tarball"
# better-sqlite3 has no prebuilt binary to download here, so its install compiles SQLite (~70 s on
# 2 cores). It is not ours to rebuild: hand it the addon this checkout already built, through
# prebuild-install's local prebuilds directory (its mechanism for offline installs).
sqlite_version=$(node -p "require('$root/node_modules/better-sqlite3/package.json').version")
prebuilds="$work/prebuilds"
mkdir -p "$prebuilds"
tar -czf "$prebuilds/better-sqlite3-v$sqlite_version-node-v$(node -p process.versions.modules)-linux-$(node -p process.arch).tar.gz" \
  -C "$root/node_modules/better-sqlite3" build/Release/better_sqlite3.node
echo "example: npm ci --offline (effect-pipelines from $tarball)"
start=$(date +%s)
npm_config_better_sqlite3_local_prebuilds="$prebuilds" npm ci --offline --no-audit --no-fund 2>&1 | tail -3
echo "example: installed in $(( $(date +%s) - start )) s"

echo "example: tsc --noEmit (strict)"
npx --no-install tsc --noEmit

echo "example: pipeline run pipeline.yaml"
npx --no-install pipeline run pipeline.yaml --progress plain --set params.profiles=2000 | tail -8
csv=$(ls out/cluster-summary/stages/summary/*/clusters.csv)
lines=$(wc -l < "$csv")
[ "$(head -1 "$csv")" = "cluster;size;share;mean_distance;mean_norm" ] || { echo "example: unexpected CSV header in $csv"; exit 1; }
[ "$lines" -ge 2 ] || { echo "example: $csv has no cluster lines"; exit 1; }
echo "example: $csv has $((lines - 1)) clusters"

echo "example: vitest run"
npx --no-install vitest run
