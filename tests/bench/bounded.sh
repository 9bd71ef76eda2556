#!/usr/bin/env bash
# Benchmark of the bounded strategies (not a test: it times, and prints a table for docs/performance.md).
#   bash tests/bench/bounded.sh [hetplan binary] [shared folder]
# Rows 1-4 of the published table: metis and pruned against bounded and bounded-pruned (steps, plans searched,
# time, same top 5); then the realistic cases of ../shared/realistic with bounded and optimal (time, peak
# memory), with metis where it can run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${1:-$root/build/native/hetplan}"
shared="${2:-$root/../shared}"
limit="${HETPLAN_BENCH_SECONDS:-120}"

run() {  # run OUT ARGS...: the JSON in OUT, "seconds peak_kB" on stdout
  local out="$1"
  shift
  local t
  t="$(mktemp)"
  if /usr/bin/time -f "%e %M" -o "$t" timeout "$limit" "$bin" plan "$@" --json > "$out" 2>/dev/null; then
    cat "$t"
  else
    echo "timeout -"
  fi
  rm -f "$t"
}

field() {  # field FILE KEY
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get(sys.argv[2], "-"))' "$1" "$2" 2>/dev/null || echo -
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "| case | strategy | steps | inter-stage plans searched | ruled out by bound | wall s | peak MB | top 5 as metis's |"
echo "|---|---|---|---|---|---|---|---|"
for row in 1 2 3 4; do
  case_dir="$shared/golden/table1-row$row"
  [ -d "$case_dir" ] || continue
  for pair in metis:bounded pruned:bounded-pruned; do
    a="${pair%%:*}"
    b="${pair##*:}"
    read -r ta ma < <(run "$tmp/a.json" --case "$case_dir" --strategy "$a" --top 5 --threads 1)
    read -r tb mb < <(run "$tmp/b.json" --case "$case_dir" --strategy "$b" --top 5 --threads 1)
    same=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["top"] == json.load(open(sys.argv[2]))["top"])' \
      "$tmp/a.json" "$tmp/b.json")
    echo "| row $row | $a | $(field "$tmp/a.json" count) | $(field "$tmp/a.json" inter_plans) | - | $ta | $((ma / 1024)) | - |"
    echo "| row $row | $b | $(field "$tmp/b.json" count) | $(field "$tmp/b.json" inter_plans) | $(field "$tmp/b.json" pruned_by_bound) | $tb | $((mb / 1024)) | $same |"
  done
done
for f in "$shared"/realistic/*.json; do
  [ -f "$f" ] || continue
  name="$(basename "$f" .json)"
  for s in bounded optimal; do
    read -r t m < <(run "$tmp/r.json" --case-json "$f" --strategy "$s" --top 5)
    mb="-"
    [ "$m" != "-" ] && mb=$((m / 1024))
    echo "| $name | $s | $(field "$tmp/r.json" count) | $(field "$tmp/r.json" inter_plans) | $(field "$tmp/r.json" pruned_by_bound) | $t | $mb | - |"
  done
done
