#!/usr/bin/env bash
# Makes sure redis-server is installed, for the @timebox/bullmq tests (which start their own
# server on a free 127.0.0.1 port and stop it). Installs Debian's redis-server package with
# apt-get only when the command is missing, without starting the package's system service.
# Idempotent and quiet; exits non-zero with a message when it cannot.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi

fail() {
  echo "ensure-redis: $*" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 ||
  fail "redis-server is missing and apt-get is not available; install Redis 6.2 or newer so that redis-server is on PATH"

run_as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 ||
    fail "redis-server is missing; installing it needs root (or sudo): apt-get install redis-server"
  run_as_root=(sudo)
fi

# Keep the package from starting a system-wide redis service while it installs: the tests
# start their own server. policy-rc.d is Debian's switch for that; ours is removed afterwards.
policy=/usr/sbin/policy-rc.d
own_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${run_as_root[@]}" tee "$policy" >/dev/null
  "${run_as_root[@]}" chmod 755 "$policy"
  own_policy=true
fi
remove_policy() {
  if [ "$own_policy" = true ]; then "${run_as_root[@]}" rm -f "$policy"; fi
}
trap remove_policy EXIT

log=$(mktemp)
export DEBIAN_FRONTEND=noninteractive
if ! { "${run_as_root[@]}" apt-get update -qq &&
  "${run_as_root[@]}" apt-get install -y -qq --no-install-recommends redis-server; } >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  rm -f "$log"
  fail "apt-get could not install redis-server (output above)"
fi
rm -f "$log"

command -v redis-server >/dev/null 2>&1 ||
  fail "apt-get installed redis-server, but the redis-server command is still not on PATH"
echo "ensure-redis: installed $(redis-server --version | cut -d' ' -f1-3)"
