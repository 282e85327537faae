#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed at /usr/bin/chromium, for the browser tests of
# @timebox/web-worker and timebox (vitest's browser mode with the Playwright provider) and
# the web-worker benchmark. Playwright cannot download its own browsers here, so this
# installs Debian's `chromium` package with apt-get, only when /usr/bin/chromium is missing.
# Idempotent and quiet; exits non-zero with a message when it cannot.
set -euo pipefail

chromium=/usr/bin/chromium
if [ -x "$chromium" ]; then
  exit 0
fi

fail() {
  echo "ensure-chromium: $*" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 ||
  fail "$chromium is missing and apt-get is not available; install Chromium so that $chromium exists"

run_as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 ||
    fail "$chromium is missing; installing it needs root (or sudo): apt-get install chromium"
  run_as_root=(sudo)
fi

log=$(mktemp)
export DEBIAN_FRONTEND=noninteractive
if ! { "${run_as_root[@]}" apt-get update -qq &&
  "${run_as_root[@]}" apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  rm -f "$log"
  fail "apt-get could not install chromium (output above)"
fi
rm -f "$log"

[ -x "$chromium" ] || fail "apt-get installed chromium, but $chromium is still missing"
echo "ensure-chromium: installed $("$chromium" --version 2>/dev/null | head -n 1)"
