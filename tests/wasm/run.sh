#!/usr/bin/env bash
# Node tests of the WebAssembly module and the page's DOM-free modules.
# Usage: tests/wasm/run.sh [BUILD_DIR]   (an Emscripten build folder or its web/ folder; default: build-wasm)
# HETPLAN_BIN=path/to/hetplan adds the byte-for-byte comparison with the native CLI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build-wasm}"
build="$(cd "$build" && pwd)"
# Either the build folder or its site folder (BUILD/web).
if [[ -f "$build/web/hetplan-core.wasm" ]]; then
  export HETPLAN_WEB_DIR="$build/web"
else
  export HETPLAN_WEB_DIR="$build"
fi
if [[ ! -f "$HETPLAN_WEB_DIR/hetplan-core.wasm" ]]; then
  echo "tests/wasm: $HETPLAN_WEB_DIR/hetplan-core.wasm not found; build with emcmake first" >&2
  exit 1
fi
cd "$here"
exec node --test --test-reporter=spec module.test.mjs options.test.mjs shards.test.mjs page-logic.test.mjs form-errors.test.mjs profile-facts.test.mjs plan-pictures.test.mjs sweep.test.mjs golden.test.mjs cli.test.mjs
