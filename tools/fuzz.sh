#!/usr/bin/env bash
# Fuzzes the scenario loader with libFuzzer for a bounded time (default 60 s).
#   tools/fuzz.sh [SECONDS]
# Builds with clang in build-fuzz/, seeds the corpus from the shipped scenarios and test
# files, and keeps any crashing input in build-fuzz/crashes/. Exit 0 when nothing crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

tools/setup-deps.sh --fuzz
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDCSIM_FUZZ=ON -DDCSIM_TESTS=OFF -DDCSIM_BENCH=OFF >/dev/null
cmake --build build-fuzz -j 2 --target fuzz_loader

corpus=build-fuzz/corpus
mkdir -p "$corpus" build-fuzz/crashes
find scenarios tests/data -name '*.yaml' -exec cp {} "$corpus"/ \;
build-fuzz/tests/fuzz/fuzz_loader "$corpus" -max_total_time="$seconds" -max_len=65536 \
  -timeout=10 -rss_limit_mb=2048 -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1
echo "fuzz.sh: no crash in $seconds s"
