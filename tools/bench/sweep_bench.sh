#!/usr/bin/env bash
# Sweep throughput on this machine: the same sweep at --jobs 1 and at --jobs 2 (alternating,
# best wall time of REPEAT each, every time into a fresh folder, merge included), and the
# speed-up. Also checks that both give byte-identical merged CSVs.
#   tools/bench/sweep_bench.sh              # Clover build-outs × 10 seeds, scale 500, 6 h
# Environment: DCSIM (default build/tools/dcsim), SWEEP (a sweep file), SCALE (500),
# HOURS (6), REPEAT (3). Last line: sweep runs=R jobs1_s=.. jobs2_s=.. speedup=..
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
dcsim=${DCSIM:-$here/build/tools/dcsim}
sweep=${SWEEP:-$here/scenarios/sweeps/clover-seeds.yaml}
repeat=${REPEAT:-3}
opts=(--scale "${SCALE:-500}" --set "meta.duration_h=${HOURS:-6}" -q)
[ -x "$dcsim" ] || { echo "sweep_bench.sh: no dcsim at '$dcsim' (build it, or set DCSIM)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

best1= best2= cpu1= cpu2=
echo "sweep_bench: $(basename "$sweep") ${opts[*]}, best of $repeat; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= repeat; r++)); do
  for j in 1 2; do
    rm -rf "$tmp/j$j"
    /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$dcsim" sweep "$sweep" -o "$tmp/j$j" --jobs "$j" "${opts[@]}"
    read -r wall user sys < "$tmp/time"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    echo "  round $r, --jobs $j: ${wall} s wall, ${cpu} s CPU"
    if [ "$j" = 1 ]; then
      if [ -z "$best1" ] || awk -v a="$wall" -v b="$best1" 'BEGIN { exit !(a < b) }'; then best1=$wall cpu1=$cpu; fi
    else
      if [ -z "$best2" ] || awk -v a="$wall" -v b="$best2" 'BEGIN { exit !(a < b) }'; then best2=$wall cpu2=$cpu; fi
    fi
  done
  for f in "$tmp/j1"/*.csv; do cmp -s "$f" "$tmp/j2/$(basename "$f")" || { echo "sweep_bench: $(basename "$f") differs between --jobs 1 and 2" >&2; exit 1; }; done
done
runs=$(( $(wc -l < "$tmp/j1/runs.csv") - 1 ))
echo "sweep_bench: merged CSVs identical at --jobs 1 and 2; CPU of the best runs ${cpu1} s and ${cpu2} s; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v r="$runs" -v a="$best1" -v b="$best2" 'BEGIN { printf "sweep runs=%d jobs1_s=%.2f jobs2_s=%.2f speedup=%.2f\n", r, a, b, a / b }'
