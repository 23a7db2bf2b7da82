#!/usr/bin/env bash
# Installs what the build needs, builds once and runs every test with CTest.
#   tools/test.sh              Release build in build/, all tests
#   tools/test.sh --sanitize   AddressSanitizer + UBSan build in build-asan/, all tests; built
#                              without MPI (-DDCSIM_MPI=OFF), so CI proves dcsim builds and
#                              passes without it (the Release pass covers the mpirun sweeps)
#   tools/test.sh --with-browser  also install Chromium and the notebook packages and run
#                              the report's browser test and the notebook execution
# Extra arguments after -- go to ctest (e.g. tools/test.sh -- -R model_tests).
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
cmake_args=(-DCMAKE_BUILD_TYPE=Release)
ctest_args=()
setup_args=()
browser=OFF
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) build_dir=build-asan
                cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DDCSIM_SANITIZE=ON -DDCSIM_BENCH=OFF -DDCSIM_MPI=OFF) ;;
    --with-browser) browser=ON; setup_args+=(--browser --notebook) ;;
    --) shift; ctest_args=("$@"); break ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

tools/setup-deps.sh "${setup_args[@]}"
start=$(date +%s)
# The flags tools/demo.sh configures build/ with, plus the test switches (which add tests,
# not compile flags), so a build the demo made is reused, not redone.
cmake -S . -B "$build_dir" -G Ninja -DDCSIM_WERROR=ON -DDCSIM_BROWSER_TESTS=$browser "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" -j 2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build_dir" --output-on-failure -j 2 "${ctest_args[@]}"
echo "test.sh: $build_dir built and tested in $(( $(date +%s) - start )) s"
