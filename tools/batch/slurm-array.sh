#!/usr/bin/env bash
#SBATCH --job-name=dcsim-sweep
#SBATCH --cpus-per-task=4
#SBATCH --mem-per-cpu=2G
#SBATCH --time=02:00:00
#SBATCH --output=dcsim-sweep-%A_%a.out
# A sweep as a Slurm job array: array task i runs shard i/N of the sweep into OUT_DIR (on a
# filesystem every node sees), with --jobs = the task's CPUs; a last job, started when every
# task succeeded, merges the shards into OUT_DIR's CSVs.
#
#   tools/batch/slurm-array.sh submit N SWEEP.yaml OUT_DIR [-- dcsim sweep options...]
#       submits the array (tasks 1..N) and the merge job (afterok); prints both job ids
#   sbatch --array=1-N tools/batch/slurm-array.sh task SWEEP.yaml OUT_DIR [-- options...]
#       what submit does for the tasks (array indices must be contiguous: 1-N or 0-(N-1))
#   tools/batch/slurm-array.sh merge OUT_DIR
#
# A task that failed, was preempted or hit --time is redone by resubmitting it (sbatch
# --array=I ...): finished runs are kept, the rest resume. Try a task without Slurm:
#   SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2 tools/batch/slurm-array.sh task SWEEP OUT
# Environment: DCSIM, the dcsim binary (default: dcsim on PATH, else build/tools/dcsim);
# submit exports its absolute path to the jobs. The #SBATCH lines above are defaults.
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ && !/^#SBATCH/ { sub(/^# ?/, ""); print; next } NR > 1 && !/^#/ { exit }' "$0"; exit 2; }
[ $# -ge 1 ] || usage
mode=$1
shift

if [ -n "${DCSIM:-}" ]; then
  dcsim=$DCSIM
elif command -v dcsim >/dev/null; then
  dcsim=$(command -v dcsim)
else
  # Inside a job, $0 is Slurm's copy of this script; submit passes DCSIM.
  dcsim=$(cd "$(dirname "$0")/../.." && pwd)/build/tools/dcsim
fi

case "$mode" in
  submit)
    [ $# -ge 3 ] || usage
    n=$1 sweep=$2 out=$3
    shift 3
    case "$n" in ''|*[!0-9]*|0) echo "slurm-array.sh: N must be a positive number (got '$n')" >&2; exit 2 ;; esac
    [ -x "$dcsim" ] || { echo "slurm-array.sh: no dcsim at '$dcsim' (set DCSIM)" >&2; exit 2; }
    DCSIM=$(cd "$(dirname "$dcsim")" && pwd)/$(basename "$dcsim")
    export DCSIM
    sweep=$(cd "$(dirname "$sweep")" && pwd)/$(basename "$sweep")
    mkdir -p "$out"
    out=$(cd "$out" && pwd)
    tasks=$(sbatch --parsable --array="1-$n" "$0" task "$sweep" "$out" "$@")
    merge=$(sbatch --parsable --dependency="afterok:${tasks%%;*}" --cpus-per-task=1 --job-name=dcsim-merge \
            --output="dcsim-merge-%j.out" "$0" merge "$out")
    echo "submitted: array job $tasks (shards 1..$n), merge job $merge; results in $out/"
    ;;
  task)
    [ $# -ge 2 ] || usage
    sweep=$1 out=$2
    shift 2
    if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; fi
    : "${SLURM_ARRAY_TASK_ID:?task mode runs inside a Slurm array job (or set SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT)}"
    : "${SLURM_ARRAY_TASK_COUNT:?SLURM_ARRAY_TASK_COUNT is not set (Slurm >= 17.11 sets it)}"
    i=$(( SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-1} + 1 ))
    exec "$dcsim" sweep "$sweep" -o "$out" --shard "$i/$SLURM_ARRAY_TASK_COUNT" --jobs "${SLURM_CPUS_PER_TASK:-1}" "$@"
    ;;
  merge)
    [ $# -eq 1 ] || usage
    exec "$dcsim" merge "$1" -o "$1"
    ;;
  *) usage ;;
esac
