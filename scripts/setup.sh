#!/usr/bin/env bash
# One-time (and idempotent) setup: Debian packages the native parts need, then npm dependencies
# and the build. Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: a C++ toolchain for the native addons (better-sqlite3, the FAISS binding),
# FAISS and OpenBLAS to link against, Debian's FAISS for Python (the bench compares against it),
# and Chromium for the dashboard's browser test.
APT_PACKAGES=(build-essential python3 libfaiss-dev libopenblas-dev python3-faiss python3-numpy chromium)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${missing[*]}"
    echo "setup: install them with: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

# Native addons build against the installed Node's headers; never download them.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_api.h ]; then
  export npm_config_nodedir=/usr
fi

# npm ci only when the lockfile changed since the last install.
stamp=node_modules/.setup-lock-sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund   # its `prepare` script builds dist/
  echo "$want" > "$stamp"
else
  npm run --silent build
fi
echo "setup: ready"
