#!/usr/bin/env bash
# One command from a fresh clone to results: installs the Debian packages, builds dcsim
# (Release, in build/), runs the Clover build-outs (scenarios/clover.yaml, one run per
# variant) and prints their headline table and where the run folders are.
# The demo runs at scale 100 (one simulated agent stands for 100 users) so it finishes in
# well under a minute; the figures are in real units and agree with scale 1 within
# sampling error (see README).
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup-deps.sh
# The same configuration as tools/test.sh (same build/ folder, same flags), so running the
# tests afterwards builds only what the demo did not (the tests), not everything again.
cmake -S . -B build -G Ninja -DDCSIM_WERROR=ON -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j 2 --target dcsim

scenario=scenarios/clover.yaml
out=runs/demo
mkdir -p "$out"
build/tools/dcsim validate "$scenario"
echo
dirs=()
for variant in baseline-2022 clover-2023 clover-full clover-full-frankfurt; do
  echo "== dcsim run $scenario --variant $variant --scale 100"
  build/tools/dcsim run "$scenario" --variant "$variant" --scale 100 -o "$out/$variant" --force
  dirs+=("$out/$variant")
  echo
done
echo "== headline table (p95 time to first byte for the five countries with most requests)"
build/tools/dcsim compare "${dirs[@]}"
echo
echo "demo: run folders (manifest.json + CSVs) are in $out/: ${dirs[*]}"
echo
echo "== dcsim report: one HTML page with the map, the headline table, latency and site load"
build/tools/dcsim report "${dirs[@]}" -o "$out/report.html" -q --force
echo "demo: report of the Clover build-outs (open it in a browser): $out/report.html"
echo "demo: the dcsim program is $(pwd)/build/tools/dcsim (the README writes it as dcsim; cmake --install build --prefix ~/.local puts it on the PATH)"
