#!/usr/bin/env bash
# One command from a fresh clone to results: installs the Debian packages, builds dcsim
# (Release, in build/), runs the default scenario and says where its outputs are.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j 2 --target dcsim

scenario=scenarios/default.yaml
echo
echo "== dcsim validate $scenario"
build/tools/dcsim validate "$scenario"
echo
echo "demo: the scenario above is valid; 'dcsim run' (simulation and CSV outputs) is not built yet,"
echo "demo: so the validation summary above is this demo's output."
