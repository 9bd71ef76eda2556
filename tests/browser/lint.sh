#!/usr/bin/env bash
# ESLint over the page's scripts (web/*.js) and the JS tests (tests/browser/*.mjs, tests/wasm/*.mjs), with the
# config next to this script. Installs the pinned packages from package-lock.json when node_modules lacks them
# (no browser download).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [[ ! -x "$here/node_modules/.bin/eslint" || ! -d "$here/node_modules/@playwright/test" ]]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
cd "$root"
"$here/node_modules/.bin/eslint" --config "$here/eslint.config.mjs" --max-warnings 0 \
  web/*.js tests/browser/*.mjs tests/wasm/*.mjs
echo "eslint: no findings"
