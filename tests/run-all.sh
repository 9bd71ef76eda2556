#!/usr/bin/env bash
# Runs every test suite of hetplan on a Debian machine, installing what it needs first:
#   native unit and golden tests (ctest), the MPI build against one process, the unit tests under
#   AddressSanitizer + UBSan, formatting and lint,
#   short fuzz runs, the WASM module in node, and the page in headless Chromium (Playwright).
# Tests that need the shared golden data (../shared) skip, saying why, when it is absent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jobs="${HETPLAN_JOBS:-2}"
export NODE_PATH=/usr/share/nodejs

step() { printf '\n=== %s\n' "$*"; }

step "dependencies"
bash .ci/install-deps

step "native build (Release, profile-guided: core/pgo)"
# The benchmark programs are built (not run) so that they keep compiling.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DHETPLAN_BENCHMARKS=ON
cmake --build build -j"$jobs"

step "native tests"
ctest --test-dir build --output-on-failure -j"$jobs"

step "formatting (clang-format) and lint (clang-tidy, the checks in .clang-tidy; ESLint for the JS)"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror
# The compile commands of a native configuration cover the core, the CLI and the tests; the WASM bindings
# need Emscripten's headers and are left out. A configuration without the profile-guided build (configured,
# not built): clang does not know GCC's profile flags. GCC-only warning flags are not clang's concern.
cmake -S . -B build-lint -DCMAKE_BUILD_TYPE=Release -DHETPLAN_BENCHMARKS=ON -DHETPLAN_PGO=OFF -DHETPLAN_MPI=ON > /dev/null
run-clang-tidy -p build-lint -j "$jobs" -quiet -extra-arg=-Wno-unknown-warning-option "$root/(core|native)/" \
  > build-lint/clang-tidy.log 2>&1 || { grep -E "warning:|error:" -A3 build-lint/clang-tidy.log; exit 1; }
echo "clang-tidy: no findings"
bash tests/browser/lint.sh

step "MPI build (OpenMPI) and tests: mpirun -np 1, 2, 3 against one process, failing and killed ranks"
cmake -S . -B build-mpi -DCMAKE_BUILD_TYPE=Release -DHETPLAN_PGO=OFF -DHETPLAN_MPI=ON -DHETPLAN_TESTS=OFF
cmake --build build-mpi -j"$jobs" --target hetplan
bash tests/mpi/run.sh build-mpi/native/hetplan build/native/hetplan

step "sanitizer build (Debug, ASan + UBSan) and unit tests"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DHETPLAN_SANITIZE=ON
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan --output-on-failure -j"$jobs"

step "fuzzing (libFuzzer, clang, short runs)"
CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHETPLAN_FUZZ=ON -DHETPLAN_TESTS=OFF
cmake --build build-fuzz -j"$jobs" --target fuzz_parsers fuzz_search
for target in fuzz_parsers fuzz_search; do
  corpus="$(mktemp -d)"
  "build-fuzz/tests/fuzz/$target" -max_total_time="${HETPLAN_FUZZ_SECONDS:-20}" -max_len=4096 "$corpus" 2>&1 | tail -n 2
  rm -rf "$corpus"
done

step "WASM build"
emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release
cmake --build build-wasm -j"$jobs"

step "WASM tests (node)"
HETPLAN_BIN="$root/build/native/hetplan" bash tests/wasm/run.sh "$root/build-wasm"

step "browser tests (Playwright, headless Chromium)"
bash tests/browser/run.sh "$root/build-wasm/web"

printf '\nall test suites passed\n'
