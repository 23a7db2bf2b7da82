#!/usr/bin/env bash
# The batch examples in tools/batch/ run a sweep to the same merged CSVs as `dcsim sweep`:
# parallel.sh (GNU parallel when installed, and xargs -P), slurm-array.sh (its task and
# merge modes as Slurm would call them, and submit through a stand-in sbatch that runs
# the array's tasks one after the other), and mpirun.sh when dcsim is built with MPI.
#   batch_scripts_test.sh DCSIM [MPIEXEC]
set -euo pipefail
dcsim=$1
mpiexec=${2:-}
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DCSIM=$dcsim

sweep=$tmp/sweep.yaml
printf 'scenario: %s\nvariants: [clover-2023, clover-full]\nseeds: [1, 2]\n' "$src/scenarios/clover.yaml" > "$sweep"
quick=(--scale 2000 --set meta.duration_h=2)
"$dcsim" sweep "$sweep" -o "$tmp/ref" --jobs 2 -q "${quick[@]}"

same() {  # the merged CSVs of $1 and $2 are byte-identical
  local n=0
  for f in "$tmp/ref"/*.csv; do
    cmp "$f" "$1/$(basename "$f")" || { echo "FAIL: $2: $(basename "$f") differs" >&2; exit 1; }
    n=$((n + 1))
  done
  [ "$(find "$1" -maxdepth 1 -name '*.csv' | wc -l)" -eq "$n" ] || { echo "FAIL: $2: other CSV files" >&2; exit 1; }
  [ "$n" -ge 10 ] || { echo "FAIL: only $n merged CSVs" >&2; exit 1; }
  echo "ok: $2"
}

USE_XARGS=1 "$src/tools/batch/parallel.sh" "$sweep" "$tmp/xargs" 3 -- "${quick[@]}" 2>/dev/null
same "$tmp/xargs" "parallel.sh with xargs -P"
if command -v parallel >/dev/null && parallel --version 2>/dev/null | grep -q "GNU parallel"; then
  "$src/tools/batch/parallel.sh" "$sweep" "$tmp/gnu" 2 -- "${quick[@]}" 2>/dev/null
  same "$tmp/gnu" "parallel.sh with GNU parallel"
else
  echo "skip: GNU parallel is not installed (parallel.sh used xargs -P above)"
fi

# Slurm: two array tasks at once into one folder, as the scheduler starts them, then merge.
for i in 1 2; do
  SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=2 \
    "$src/tools/batch/slurm-array.sh" task "$sweep" "$tmp/slurm" -- -q "${quick[@]}" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
"$src/tools/batch/slurm-array.sh" merge "$tmp/slurm" >/dev/null
same "$tmp/slurm" "slurm-array.sh task + merge"

# submit, through a stand-in sbatch (tasks 0-based here, as --array=0-2 would number them).
mkdir "$tmp/bin"
cat > "$tmp/bin/sbatch" <<'SBATCH'
#!/usr/bin/env bash
array=
while [ $# -gt 0 ] && [ "${1#--}" != "$1" ]; do
  case "$1" in --array=*) array=${1#--array=} ;; esac
  shift
done
script=$1; shift
if [ -n "$array" ]; then
  lo=${array%-*} hi=${array#*-}
  for ((i = lo; i <= hi; i++)); do
    SLURM_ARRAY_TASK_ID=$((i - 1)) SLURM_ARRAY_TASK_MIN=$((lo - 1)) SLURM_ARRAY_TASK_COUNT=$((hi - lo + 1)) \
      SLURM_CPUS_PER_TASK=1 bash "$script" "$@" >/dev/null
  done
else
  bash "$script" "$@" >/dev/null
fi
echo "$RANDOM"
SBATCH
chmod +x "$tmp/bin/sbatch"
PATH=$tmp/bin:$PATH "$src/tools/batch/slurm-array.sh" submit 3 "$sweep" "$tmp/submit" -- -q "${quick[@]}" >/dev/null
same "$tmp/submit" "slurm-array.sh submit"

if [ -n "$mpiexec" ]; then
  # Open MPI's allocations are not leak-checked in the sanitizer build (see sweep_command_test.cpp).
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 MPIRUN=$mpiexec MPIRUN_ARGS=--oversubscribe "$src/tools/batch/mpirun.sh" 2 "$sweep" "$tmp/mpi" -- -q "${quick[@]}"
  same "$tmp/mpi" "mpirun.sh -np 2"
else
  echo "skip: dcsim built without MPI"
fi

# A dcsim started by mpirun without MPI support would run everything on every rank: it refuses.
if [ -z "$mpiexec" ]; then
  if OMPI_COMM_WORLD_SIZE=2 "$dcsim" sweep "$sweep" -o "$tmp/nompi" -q "${quick[@]}" 2>/dev/null; then
    echo "FAIL: a dcsim without MPI ran under an MPI launcher" >&2; exit 1
  fi
fi
echo "batch scripts: all ok"
