#!/usr/bin/env bash
# A sweep spread over MPI ranks: every rank runs every NP-th run (each with its share of
# its machine's cores as --jobs) and rank 0 writes the merged CSVs when all are done. Needs
# dcsim built with MPI (CMake finds Debian's libopenmpi-dev; see `cmake` output
# "dcsim sweep: MPI support"); a dcsim without MPI refuses to run under mpirun: use
# parallel.sh or slurm-array.sh then.
#
#   tools/batch/mpirun.sh NP SWEEP.yaml OUT_DIR [-- dcsim sweep options...]
#   tools/batch/mpirun.sh 2 scenarios/sweeps/clover-seeds.yaml sweeps/clover -- --scale 1000
#
# Over several machines: MPIRUN_ARGS="--hostfile hosts" (OUT_DIR on a shared filesystem).
# Under Slurm: salloc -N 4 tools/batch/mpirun.sh 4 ...   or   srun --mpi=pmix dcsim sweep ...
# Interrupted, the same command resumes. As root (containers, CI) Open MPI needs
# --allow-run-as-root, which this adds.
# Environment: DCSIM (default: dcsim on PATH, else build/tools/dcsim), MPIRUN (default
# mpirun), MPIRUN_ARGS (extra mpirun options, e.g. --oversubscribe).
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ && !/^#SBATCH/ { sub(/^# ?/, ""); print; next } NR > 1 && !/^#/ { exit }' "$0"; exit 2; }
[ $# -ge 3 ] || usage
np=$1 sweep=$2 out=$3
shift 3
if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; fi
case "$np" in ''|*[!0-9]*|0) echo "mpirun.sh: NP must be a positive number (got '$np')" >&2; exit 2 ;; esac

here=$(cd "$(dirname "$0")/../.." && pwd)
dcsim=${DCSIM:-$(command -v dcsim || echo "$here/build/tools/dcsim")}
[ -x "$dcsim" ] || { echo "mpirun.sh: no dcsim at '$dcsim' (build it, or set DCSIM)" >&2; exit 2; }
mpirun=${MPIRUN:-mpirun}
root=()
if [ "$(id -u)" -eq 0 ]; then root=(--allow-run-as-root); fi
# shellcheck disable=SC2086
exec "$mpirun" "${root[@]}" ${MPIRUN_ARGS:-} -np "$np" "$dcsim" sweep "$sweep" -o "$out" "$@"
