#!/usr/bin/env bash
# Installs everything computedebt needs on a fresh Debian 12 machine: the C++
# dependencies from Debian's packages and a Python virtual environment in .venv.
# Idempotent: when everything is already there it only checks and returns.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  build-essential cmake pkg-config
  libquantlib0-dev libboost-dev libfmt-dev librandom123-dev nlohmann-json3-dev libcli11-dev libhwy-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # clang, its sanitizer runtimes and libFuzzer: scripts/sanitize.sh and scripts/fuzz.sh
  clang-16 libclang-rt-16-dev
)

missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  if ! "$python" -m venv .venv 2>/dev/null; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get install -y -qq python3-venv >/dev/null
    rm -rf .venv
    "$python" -m venv .venv
  fi
fi

# Reinstall the Python requirements only when the list changed.
stamp=.venv/.requirements.sha256
wanted=$(sha256sum requirements-dev.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "setup: installing Python requirements into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements-dev.txt
  echo "$wanted" > "$stamp"
fi
