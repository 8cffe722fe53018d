#!/usr/bin/env bash
# Installs the Debian packages the real-VS-Code tests need:
#   chromium    - the browser that drives code-server's workbench (via playwright-core)
#   ripgrep     - `rg`, copied into code-server's @vscode/ripgrep (its install script would download it)
#   libkrb5-dev - headers for the `kerberos` native module code-server rebuilds
#   python3-torch - PyTorch, to check that the exported training script reproduces a run
#   (plus make, g++, python3 for node-gyp, only if one of them is missing)
# Does nothing (and never touches the network) when everything is already installed.
set -euo pipefail

start=$(date +%s)
pkgs=(chromium ripgrep libkrb5-dev python3-torch)
missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# node-gyp's toolchain: the machine image normally has it already.
command -v make >/dev/null && command -v g++ >/dev/null || missing+=(build-essential)
command -v python3 >/dev/null || missing+=(python3)

if [ ${#missing[@]} -eq 0 ]; then
  echo "[system-deps] already installed: ${pkgs[*]} (and make, g++, python3)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "[system-deps] installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "[system-deps] done in $(( $(date +%s) - start ))s"
