#!/usr/bin/env bash
# Fuzzes dcsim's input parsers with libFuzzer (clang, AddressSanitizer + UBSan).
#   tools/fuzz.sh [SECONDS] [TARGET]
# SECONDS (default 60) is the fuzzing time of the whole call, split evenly over the targets
# it runs: all of them, or only TARGET (fuzz_loader, fuzz_set, fuzz_sweep,
# fuzz_latency_pairs, fuzz_json, fuzz_run_folder). The build (build-fuzz/) and seeding come
# on top. Seeds: the shipped scenarios, tests/data, tests/fuzz/seeds/, and a small run and
# sweep that the fuzz build's dcsim makes; corpora grow in build-fuzz/corpus/TARGET/ from
# call to call. A crash, a hang (> 10 s) or memory beyond 2 GiB ends that target's run and is
# kept in build-fuzz/crashes/TARGET/. Prints, last, one line per target:
#   fuzz_loader execs=123456 exec_per_s=2057 cov=4321 ft=9876 corpus=543 crashes=0
# Exit 0 when no target found anything, 1 otherwise (2 for a usage error).
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(fuzz_loader fuzz_set fuzz_sweep fuzz_latency_pairs fuzz_json fuzz_run_folder)
seconds=${1:-60}
case "$seconds" in
  -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
  ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number (see --help)" >&2; exit 2 ;;
esac
targets=("${all_targets[@]}")
if [ $# -ge 2 ]; then
  if [[ " ${all_targets[*]} " != *" $2 "* ]]; then
    echo "fuzz.sh: unknown target '$2' (one of: ${all_targets[*]})" >&2
    exit 2
  fi
  targets=("$2")
fi
per_target=$(( seconds / ${#targets[@]} ))
[ "$per_target" -ge 1 ] || per_target=1

tools/setup-deps.sh --fuzz
fz=build-fuzz
CXX=clang++ cmake -S . -B "$fz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDCSIM_FUZZ=ON -DDCSIM_TESTS=OFF -DDCSIM_BENCH=OFF >/dev/null
cmake --build "$fz" -j 2 --target "${targets[@]}" dcsim

# ---- seeds (made afresh each call, so they follow the file formats) and dictionaries ----
seeds=$fz/seeds
rm -rf "$seeds" "$fz/dict" "$fz/logs"
mkdir -p "$seeds" "$fz/dict" "$fz/logs"
for t in "${all_targets[@]}"; do mkdir -p "$seeds/$t" "$fz/corpus/$t" "$fz/crashes/$t"; done
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

# A small run folder and a one-run sweep of the default scenario, both of one simulated hour.
dcsim=$fz/tools/dcsim
"$dcsim" run scenarios/default.yaml --scale 1000 --set meta.duration_h=1 -o "$fz/seed-run" --force -q
printf 'scenario: ../scenarios/default.yaml\nvariants: [base]\nseeds: [1]\nscale: 1000\nset: {meta.duration_h: 1}\n' \
  > "$fz/seed-sweep.yaml"
rm -rf "$fz/seed-sweep"
"$dcsim" sweep "$fz/seed-sweep.yaml" -o "$fz/seed-sweep" -q

# bundle DIR [EXTRA...]: a run folder as one fuzz_run_folder input (see
# tests/fuzz/fuzz_support.hpp): CSVs cut to 12 lines, the manifest's hashes replaced by
# "@sha256:NAME@" so that the fuzzer recomputes them for whatever CSV it writes.
bundle() {
  local dir=$1 f
  shift
  for f in "$@"; do printf '=== %s\n' "$(basename "$f")"; cat "$f"; done
  printf '=== manifest.json\n'
  sed -E 's/"([A-Za-z0-9_.-]+\.csv)": "[0-9a-f]{64}"/"\1": "@sha256:\1@"/g' "$dir/manifest.json"
  for f in "$dir"/*.csv; do printf '=== %s\n' "$(basename "$f")"; head -n 12 "$f"; done
}
sweep_run=$(find "$fz/seed-sweep/runs" -mindepth 1 -maxdepth 1 -type d | head -n 1)

find scenarios tests/data -name '*.yaml' -exec cp {} "$seeds/fuzz_loader/" \;
cp tests/fuzz/seeds/fuzz_set/* "$seeds/fuzz_set/"
cp tests/fuzz/seeds/fuzz_sweep/* "$seeds/fuzz_sweep/"
for f in scenarios/sweeps/*.yaml; do  # the shipped sweeps, on the small scenario the target provides
  sed -E 's/^scenario: .*/scenario: small.yaml/' "$f" > "$seeds/fuzz_sweep/shipped-$(basename "$f")"
done
cp tests/data/good/small.yaml "$seeds/fuzz_sweep/"  # a scenario with no sweep: section
{ cat tests/data/good/small.yaml; printf 'sweep:\n  variants: all\n  seeds: [1, 2]\n'; } > "$seeds/fuzz_sweep/section.yaml"
cp tests/fuzz/seeds/fuzz_latency_pairs/* tests/data/rtt_measured.csv "$seeds/fuzz_latency_pairs/"
cp "$fz/seed-run/manifest.json" "$seeds/fuzz_json/manifest.json"
cp "$fz/seed-sweep/sweep.json" "$seeds/fuzz_json/sweep.json"
bundle "$fz/seed-run" > "$seeds/fuzz_run_folder/run.txt"
bundle "$sweep_run" "$fz/seed-sweep/sweep.json" "$fz/seed-sweep/runs.csv" > "$seeds/fuzz_run_folder/sweep.txt"

# Dictionaries: the words the formats are made of, taken from the files above.
yaml_words() { grep -rhoE '[A-Za-z_][A-Za-z0-9_-]*:' scenarios tests/data tests/fuzz/seeds | tr -d ':' | sort -u; }
csv_words() { head -q -n 1 "$fz/seed-run"/*.csv "$fz/seed-sweep/runs.csv" | tr ',' '\n' | sort -u; }
json_words() { grep -ohE '"[A-Za-z_][A-Za-z0-9_]*":' "$fz/seed-run/manifest.json" "$fz/seed-sweep/sweep.json" | tr -d '":' | sort -u; }
quoted() { sed -E 's/.*/"&"/'; }
{ yaml_words | quoted; printf '"%s"\n' ': ' '- ' '[' ']' '{' '}' '\"' '&a' '*a' '<<' '---' '\x0a  '; } > "$fz/dict/yaml.dict"
{ yaml_words | quoted; printf '"%s"\n' '.' '=' '[' ']' '[0]' '{' '}' ', '; } > "$fz/dict/set.dict"
{ csv_words | quoted; printf '"%s"\n' ',' '\"' '\"\"' '\x0a' '\x0d\x0a' 'ALL' 'base'; } > "$fz/dict/csv.dict"
{ json_words | quoted; printf '"%s"\n' '{' '}' '[' ']' ':' ',' 'true' 'false' 'null' '\\u00' '\\\"' '1e308'; } > "$fz/dict/json.dict"
cat "$fz/dict/csv.dict" "$fz/dict/json.dict" > "$fz/dict/run_folder.dict"
printf '"=== %s\\x0a"\n' manifest.json summary.csv border.csv latency.csv sites.csv events.csv sweep.json runs.csv \
  >> "$fz/dict/run_folder.dict"

dict_of() {
  case "$1" in
    fuzz_loader|fuzz_sweep) echo yaml ;;
    fuzz_set) echo set ;;
    fuzz_latency_pairs) echo csv ;;
    fuzz_json) echo json ;;
    fuzz_run_folder) echo run_folder ;;
  esac
}

# ---- fuzzing ----
summary=()
found=0
for t in "${targets[@]}"; do
  log=$fz/logs/$t.log
  before=$(find "$fz/crashes/$t" -type f | wc -l)
  echo "fuzz.sh: $t for $per_target s (log: $log)"
  # dcsim compare reports each bad folder on stderr: closed for that target, or its log would
  # hold a line per input (libFuzzer and the sanitizers still report on a copy of it).
  quiet=()
  [ "$t" != fuzz_run_folder ] || quiet=(-close_fd_mask=2)
  rc=0
  "$fz/tests/fuzz/$t" "$fz/corpus/$t" "$seeds/$t" -max_total_time="$per_target" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -dict="$fz/dict/$(dict_of "$t").dict" "${quiet[@]}" \
    -artifact_prefix="$fz/crashes/$t/" -print_final_stats=1 >"$log" 2>&1 || rc=$?
  crashes=$(( $(find "$fz/crashes/$t" -type f | wc -l) - before ))
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    found=1
    [ "$crashes" -gt 0 ] || crashes=1  # it failed without saving an input (e.g. at start-up)
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' "$log" | head -n 8 >&2 || true
  fi
  status=$(grep -E '#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 || true)
  final_stat() { grep -oE "stat::$1: *[0-9]+" "$log" | grep -oE '[0-9]+$' || echo '?'; }
  field() { echo "$status" | grep -oE "$1: [0-9]+" | grep -oE '[0-9]+$' || echo '?'; }
  summary+=("$t execs=$(final_stat number_of_executed_units) exec_per_s=$(final_stat average_exec_per_sec) cov=$(field cov) ft=$(field ft) corpus=$(field corp) crashes=$crashes")
done

# Scratch folders of targets that crashed (they skip their own clean-up).
for d in /dev/shm/dcsim-fuzz-* "${TMPDIR:-/tmp}"/dcsim-fuzz-*; do
  if [ -d "$d" ] && ! kill -0 "${d##*-}" 2>/dev/null; then rm -rf "$d"; fi
done

echo "fuzz.sh: ${#targets[@]} target(s), $per_target s each; crashing inputs in $fz/crashes/<target>/"
printf '%s\n' "${summary[@]}"
exit "$found"
