#!/usr/bin/env bash
# Browser tests of the page with Playwright and Debian's Chromium, headless.
# Usage: tests/browser/run.sh [BUILD_DIR] [playwright args...]   (an Emscripten build folder or its web/
# folder; default: build-wasm)
# Installs @playwright/test from package-lock.json when node_modules is missing (no browser download).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build-wasm}"
build="$(cd "$build" && pwd)"
# Either the build folder or its site folder (BUILD/web).
if [[ -f "$build/web/index.html" ]]; then
  export HETPLAN_WEB_DIR="$build/web"
else
  export HETPLAN_WEB_DIR="$build"
fi
if [[ ! -f "$HETPLAN_WEB_DIR/index.html" || ! -f "$HETPLAN_WEB_DIR/hetplan-core.wasm" ]]; then
  echo "tests/browser: no site in $HETPLAN_WEB_DIR; build with emcmake first" >&2
  exit 1
fi
cd "$here"
if [[ ! -d node_modules/@playwright/test ]]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
# A free localhost port for the static server (the config reads it in every Playwright process).
export HETPLAN_PORT="${HETPLAN_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
exec npx playwright test "${@:2}"
