#!/usr/bin/env bash
# Installs the Debian packages dcsim needs to build and test. Idempotent: when every
# package is already installed it prints one line and touches nothing (no apt-get update).
#   tools/setup-deps.sh            core build + tests (Open MPI included: sweeps are tested under mpirun)
#   tools/setup-deps.sh --fuzz     + clang and its runtime (libFuzzer, ASan, UBSan) for tools/fuzz.sh
#   tools/setup-deps.sh --browser  + Chromium for the report browser test
#   tools/setup-deps.sh --notebook + pandas/matplotlib/nbconvert for the notebook test
set -euo pipefail

packages=(build-essential cmake ninja-build pkg-config
          libboost-graph-dev libeigen3-dev libyaml-cpp-dev doctest-dev libcli11-dev libfmt-dev
          nlohmann-json3-dev libssl-dev libglpk-dev libopenmpi-dev openmpi-bin python3-yaml)
for arg in "$@"; do
  case "$arg" in
    --fuzz)     packages+=(clang libclang-rt-14-dev) ;;
    --browser)  packages+=(chromium) ;;
    --notebook) packages+=(python3-pandas python3-matplotlib jupyter-nbconvert python3-nbformat python3-ipykernel) ;;
    --all)      packages+=(clang libclang-rt-14-dev chromium python3-pandas python3-matplotlib jupyter-nbconvert python3-nbformat python3-ipykernel) ;;
    -h|--help)  sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "setup-deps.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-deps: done"
