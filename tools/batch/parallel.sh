#!/usr/bin/env bash
# A sweep as N shards run at once with GNU parallel (or xargs -P when GNU parallel is not
# installed), merged at the end into the same CSVs `dcsim sweep` writes on one machine.
#
#   tools/batch/parallel.sh SWEEP.yaml OUT_DIR [SHARDS] [-- dcsim sweep options...]
#   tools/batch/parallel.sh scenarios/sweeps/clover-seeds.yaml sweeps/clover 4 -- --scale 1000
#
# Every shard writes its runs into OUT_DIR/runs/ (so over several machines OUT_DIR must be
# on a filesystem they share); interrupted, the same command resumes where it stopped.
# SHARDS defaults to the number of cores; each shard runs JOBS_PER_SHARD runs at a time.
# Environment:
#   DCSIM           the dcsim binary (default: dcsim on PATH, else build/tools/dcsim)
#   JOBS_PER_SHARD  --jobs of each shard (default 1)
#   PARALLEL_ARGS   extra GNU parallel options, e.g. "--sshloginfile nodes.txt" to run the
#                   shards on other machines (dcsim and OUT_DIR at the same paths there)
#   USE_XARGS=1     use xargs -P even when GNU parallel is installed
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ && !/^#SBATCH/ { sub(/^# ?/, ""); print; next } NR > 1 && !/^#/ { exit }' "$0"; exit 2; }
[ $# -ge 2 ] || usage
sweep=$1 out=$2
shift 2
shards=$(nproc 2>/dev/null || echo 2)
if [ $# -gt 0 ] && [ "$1" != "--" ]; then shards=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; fi
extra=("$@")
case "$shards" in ''|*[!0-9]*|0) echo "parallel.sh: SHARDS must be a positive number (got '$shards')" >&2; exit 2 ;; esac

here=$(cd "$(dirname "$0")/../.." && pwd)
dcsim=${DCSIM:-$(command -v dcsim || echo "$here/build/tools/dcsim")}
[ -x "$dcsim" ] || { echo "parallel.sh: no dcsim at '$dcsim' (build it, or set DCSIM)" >&2; exit 2; }
jobs=${JOBS_PER_SHARD:-1}

start=$(date +%s)
if [ "${USE_XARGS:-0}" != 1 ] && command -v parallel >/dev/null && parallel --version 2>/dev/null | grep -q "GNU parallel"; then
  echo "parallel.sh: $shards shards with GNU parallel" >&2
  # -q quotes each argument; --halt stops the others when a shard fails (rerun to resume).
  # shellcheck disable=SC2086
  parallel -q --halt now,fail=1 ${PARALLEL_ARGS:-} \
    "$dcsim" sweep "$sweep" -o "$out" --shard "{}/$shards" --jobs "$jobs" -q "${extra[@]}" ::: $(seq 1 "$shards")
else
  echo "parallel.sh: $shards shards with xargs -P (GNU parallel not used)" >&2
  seq 1 "$shards" | xargs -P "$shards" -I{} "$dcsim" sweep "$sweep" -o "$out" --shard "{}/$shards" --jobs "$jobs" -q "${extra[@]}"
fi
"$dcsim" merge "$out" -o "$out"
echo "parallel.sh: sweep done in $(( $(date +%s) - start )) s; results in $out/ (summary.csv, runs.csv, merged CSVs)" >&2
