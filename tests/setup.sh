#!/usr/bin/env bash
# Installs the test toolchain on a fresh machine; fast when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# The unused-dependency check (tests/run.sh); a pinned version, so CI gives the same verdict.
machete_version=0.9.2
if ! cargo machete --version 2>/dev/null | grep -qx "$machete_version"; then
  cargo install --locked --quiet "cargo-machete@$machete_version"
fi

apt_packages=()
command -v shellcheck >/dev/null || apt_packages+=(shellcheck)
# The language server's editor test drives Neovim's built-in LSP client (tests/editor_neovim.rs).
command -v nvim >/dev/null || apt_packages+=(neovim)
if [ ${#apt_packages[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

# Reinstall whenever the lockfile changed since the last install.
if [ -f package-lock.json ] && ! cmp -s package-lock.json node_modules/.multirun-lock 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.multirun-lock
fi

if [ -f tests/requirements.txt ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  if ! cmp -s tests/requirements.txt .venv/.requirements 2>/dev/null; then
    .venv/bin/pip install -q --disable-pip-version-check -r tests/requirements.txt
    cp tests/requirements.txt .venv/.requirements
  fi
fi
