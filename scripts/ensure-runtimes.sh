#!/usr/bin/env bash
# Makes sure Bun and Deno are installed, for the runtime smoke tests of the `timebox`
# package. Both come from their npm packages, at the versions pinned in
# scripts/runtimes/package-lock.json; the binaries are taken from the platform packages
# directly (their wrappers' postinstall scripts are not run). Idempotent and quiet.
set -euo pipefail
cd "$(dirname "$0")/runtimes"

bun_binary=node_modules/@oven/bun-linux-x64/bin/bun
deno_binary=node_modules/@deno/linux-x64-glibc/deno
if [ -x "$bun_binary" ] && [ -x "$deno_binary" ]; then
  exit 0
fi
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
for binary in "$bun_binary" "$deno_binary"; do
  if [ ! -x "$binary" ]; then
    echo "ensure-runtimes: $binary is missing after npm ci (this platform has no pinned binary)" >&2
    exit 1
  fi
done
