#!/usr/bin/env bash
# Builds the page (the core compiled to WebAssembly + the static files) and serves it on localhost.
# Usage: bash web/serve.sh            (PORT=8080 and BUILD_DIR=build-wasm by default)
# Installs the Debian packages it needs (emscripten, python3) when they are missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
port="${PORT:-8080}"
build="${BUILD_DIR:-build-wasm}"

if ! command -v emcmake >/dev/null || ! command -v python3 >/dev/null; then
  bash .ci/install-deps
fi
# Emscripten's optimizer loads acorn from Debian's node module folder.
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
emcmake cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)"

echo
echo "hetplan: http://localhost:${port}/   (Ctrl+C stops the server)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory "$build/web"
