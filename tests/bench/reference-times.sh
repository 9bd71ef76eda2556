#!/bin/bash
# Times the Python reference (a clone of the Metis planner) on rows of the published table, on this machine,
# so that our times can be compared with the reference's measured at the same moment rather than with figures
# taken on another day (shared machines vary by 2x from hour to hour).
#
# usage: tests/bench/reference-times.sh METIS_CLONE [ROWS...]   (rows 1-4, default 1 2 3; row 4 takes ~30 min)
# Needs python3 with numpy (Debian: python3-numpy). Runs in a copy of the clone: the reference writes its
# profiles, hostfile and logs into its own folder.
set -euo pipefail

if [[ $# -lt 1 || ! -f "$1/cost_het_cluster.py" ]]; then
  echo "usage: $0 METIS_CLONE [ROWS...]   (METIS_CLONE holds cost_het_cluster.py)" >&2
  exit 2
fi
src=$(cd "$1" && pwd)
shift
rows=("${@:-1 2 3}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src"/. "$work"
cd "$work"

# Row: layers and GPUs per type (A100 and V100), as the published table gives them.
declare -A layers=([1]=10 [2]=20 [3]=20 [4]=40)
declare -A gpus=([1]=16 [2]=32 [3]=64 [4]=128)

printf '%-4s %-8s %-9s %s\n' row strategy steps "reference ms"
for row in ${rows[*]}; do
  [[ -n "${layers[$row]:-}" ]] || { echo "no row $row (rows are 1-4)" >&2; exit 2; }
  python3 gen_synth_data.py "${layers[$row]}" 128 >/dev/null
  python3 gen_hostfile.py "${gpus[$row]}" >/dev/null
  for strategy in metis pruned; do
    flag=()
    [[ $strategy == pruned ]] && flag=(--use_strat)
    out=$(python3 cost_het_cluster.py "${flag[@]}" --model_name=GPT --model_size=1.5B \
      --num_layers="${layers[$row]}" --gbs=128 --hidden_size=4096 --sequence_length=1024 --vocab_size=51200 \
      --hostfile_path="$work/hostfile" --clusterfile_path="$work/clusterfile.json" \
      --profile_data_path="$work/profile" --max_profiled_tp_degree=128 --max_profiled_batch_size=128 \
      --min_group_scale_variance=1 --max_permute_len=128 --trials=1 --home_dir="$work" \
      --log_path="$work/logs" 2>&1)
    steps=$(grep -oE 'count: [0-9]+' <<<"$out" | tail -1 | cut -d' ' -f2)
    ms=$(grep -oE 'Average time: [0-9.]+' <<<"$out" | tail -1 | cut -d' ' -f3)
    printf '%-4s %-8s %-9s %.0f\n' "$row" "$strategy" "${steps:-?}" "${ms:-0}"
  done
done
