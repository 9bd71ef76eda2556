#!/bin/bash
# How well `--threads` uses the CPUs it is given, on a machine whose CPUs do not run at one speed.
#
# On a shared host each virtual CPU runs at whatever speed the host gives it at the moment, and two CPUs can
# be 10-45% apart for minutes at a time. A speed-up measured against one thread then says as much about the
# host as about the program: one thread on the faster CPU against two threads, one of them on the slower CPU,
# cannot reach 2x. So each round times one thread pinned to each CPU, then all of them together, then each
# CPU again, and compares the threaded time with the best any division of the work could give at those
# speeds: work done at the rate 1/t0 + 1/t1 + ..., that is 1 / (1/t0 + 1/t1 + ...).
#
# usage: tests/bench/thread-efficiency.sh BUILD [ROW] [ROUNDS]   (BUILD configured with
#        -DHETPLAN_BENCHMARKS=ON; ROW 1-4, default 4; ROUNDS default 3)
# Each single-thread figure is the mean of 3 searches in one process (hetplan_search_loop), the threaded one
# the mean of 3 (hetplan table1 --trials 3). Start nothing else while it runs: on this kind of machine a
# process that starts processes slows a search on the other CPU by half.
set -euo pipefail

if [[ $# -lt 1 || ! -x "$1/tests/bench/hetplan_search_loop" || ! -x "$1/native/hetplan" ]]; then
  echo "usage: $0 BUILD [ROW] [ROUNDS]   (BUILD holds tests/bench/hetplan_search_loop and native/hetplan)" >&2
  exit 2
fi
build=$1
row=${2:-4}
rounds=${3:-3}
[[ $row =~ ^[1-4]$ ]] || { echo "no row $row (rows are 1-4)" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "rounds must be a positive whole number, got $rounds" >&2; exit 2; }
cpus=$(nproc)
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# Mean ms of 3 searches of the row on one CPU.
pinned() {
  taskset -c "$1" "$build/tests/bench/hetplan_search_loop" "$row" "$2" 3 | grep -oE 'mean [0-9.]+' | cut -d' ' -f2
}

printf '%-6s %-7s %-24s %-10s %-10s %-10s %-16s %s\n' round strategy "one thread per CPU, ms" "$cpus threads" \
  "best" efficiency "vs faster CPU" "vs mean CPU"
for ((round = 1; round <= rounds; round++)); do
  declare -A before=() after=()
  for s in metis pruned; do
    for ((c = 0; c < cpus; c++)); do before[$s.$c]=$(pinned "$c" "$s"); done
  done
  "$build/native/hetplan" table1 --rows "$row" --threads "$cpus" --trials 3 --json >"$out"
  for s in metis pruned; do
    for ((c = 0; c < cpus; c++)); do after[$s.$c]=$(pinned "$c" "$s"); done
  done
  for s in metis pruned; do
    threaded=$(grep -oE "\"strategy\":\"$s\"[^}]*\"elapsed_ms\":[0-9.]+" "$out" | grep -oE '[0-9.]+$')
    singles=""
    for ((c = 0; c < cpus; c++)); do singles+="${before[$s.$c]} ${after[$s.$c]} "; done
    # Per CPU the mean of its two figures; the best threaded time is the harmonic combination of their rates.
    awk -v round="$round" -v s="$s" -v t="$threaded" -v singles="$singles" 'BEGIN {
      n = split(singles, v, " "); rate = 0; fastest = 0; sum = 0; shown = ""
      for (i = 1; i <= n; i += 2) {
        c = (v[i] + v[i + 1]) / 2; rate += 1 / c; sum += c
        if (fastest == 0 || c < fastest) fastest = c
        shown = shown sprintf("%s%.1f", shown == "" ? "" : " / ", c)
      }
      best = 1 / rate
      printf "%-6d %-7s %-24s %-10.1f %-10.1f %-10s %-16s %.2fx\n", round, s, shown, t, best,
             sprintf("%.0f%%", 100 * best / t), sprintf("%.2fx", fastest / t), (sum / (n / 2)) / t
    }'
  done
done
