#!/usr/bin/env bash
# SHA-256 of every CSV every shipped scenario produces, at both fidelities (scale 100,
# seed 1): the record to compare before and after a refactor. Each variant of a scenario
# with variants is run too.
#   tools/golden/csv_hashes.sh [DCSIM] > hashes.txt      (DCSIM defaults to build/tools/dcsim)
# Prints "scenario[:variant] fidelity file sha256" lines in a fixed order; diff two outputs.
set -euo pipefail
cd "$(dirname "$0")/../.."
dcsim=${1:-build/tools/dcsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
variants_of() {  # the names under variants:, one per line
  /usr/bin/python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])) or {}; print("\n".join(v["name"] for v in d.get("variants") or []))' "$1"
}
for file in $(find scenarios -name '*.yaml' -not -path 'scenarios/data/*' -not -path 'scenarios/common/*' -not -path 'scenarios/sweeps/*' | sort); do
  for variant in "" $(variants_of "$file"); do
    fidelities="event flow"
    # Timelines run months at flow fidelity; at event fidelity they would take hours.
    case "$file" in scenarios/timelines/*) fidelities="flow" ;; esac
    for fidelity in $fidelities; do
      out="$work/run"
      args=(run "$file" -o "$out" -q --seed 1 --scale 100 --fidelity "$fidelity")
      [ -n "$variant" ] && args+=(--variant "$variant")
      "$dcsim" "${args[@]}"
      for csv in $(cd "$out" && ls *.csv | sort); do
        echo "$file${variant:+:$variant} $fidelity $csv $(sha256sum < "$out/$csv" | cut -c1-64)"
      done
      rm -rf "$out"
    done
  done
done
