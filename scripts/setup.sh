#!/usr/bin/env bash
# One-time (and idempotent) setup: Debian packages the native parts need, then npm dependencies
# and the build. Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: a C++ toolchain for the native addons (better-sqlite3, the FAISS binding),
# FAISS and OpenBLAS to link against, Debian's FAISS for Python (the bench compares against it),
# and Chromium for the dashboard's browser test.
APT_PACKAGES=(build-essential python3 libfaiss-dev libopenblas-dev python3-faiss python3-numpy chromium postgresql)

# Another apt process (unattended-upgrades, a second setup) may hold the dpkg or lists lock: wait
# for it, up to SETUP_APT_LOCK_WAIT seconds, rather than fail at once. `apt-get install` waits by
# itself with DPkg::Lock::Timeout; `apt-get update` does not (apt 2.6 fails at once on the lists
# lock), so it is retried while the lock is what stops it.
lock_wait=${SETUP_APT_LOCK_WAIT:-600}

# Whether a process has one of these lock files open (apt opens them only to lock them).
apt_lock_held() {
  command -v fuser >/dev/null 2>&1 || return 1
  fuser "$@" >/dev/null 2>&1
}

apt_update() {
  local deadline=$((SECONDS + lock_wait)) said="" err
  until err=$(apt-get -o DPkg::Lock::Timeout="$lock_wait" update -qq 2>&1 >/dev/null); do
    if ! grep -q "Could not get lock" <<<"$err" || [ "$SECONDS" -ge "$deadline" ]; then
      printf '%s\n' "$err" >&2
      return 1
    fi
    if [ -z "$said" ]; then
      echo "setup: another apt process holds the package lists lock; waiting for it (up to ${lock_wait} s)"
      said=1
    fi
    sleep 2
  done
  [ -z "$err" ] || printf '%s\n' "$err" >&2
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt_update
    if apt_lock_held /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock; then
      echo "setup: another apt/dpkg process holds the dpkg lock; waiting for it (up to ${lock_wait} s)"
    fi
    apt-get -o DPkg::Lock::Timeout="$lock_wait" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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
  node scripts/build-if-changed.mjs   # tsc, unless dist/ was built from these sources
fi

# The package's own bin in node_modules/.bin (npm does not link a package's bin into its own tree):
# `pipeline` for npm scripts and a PATH with node_modules/.bin. npm 11's `npx pipeline` in the
# checkout still installs the checkout into its npx cache (a link) and runs its `prepare`; that is
# fast because prepare builds only when src/ changed (scripts/build-if-changed.mjs). A relative
# link survives moving the checkout; `ln -sfn` replaces a stale one.
bin_link=node_modules/.bin/pipeline
if [ "$(readlink "$bin_link" 2>/dev/null)" != "../../bin/pipeline.js" ]; then
  mkdir -p node_modules/.bin
  ln -sfn ../../bin/pipeline.js "$bin_link"
fi
echo "setup: ready"
