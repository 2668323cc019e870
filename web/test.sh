#!/usr/bin/env bash
# The playground's tests, from a fresh machine: installs what is missing (wasm target,
# wasm-bindgen-cli at Cargo.lock's version, wasm-pack, npm packages, Debian's chromium), builds
# the native CLI, the wasm and the site, then runs parity (Node) and end to end (headless
# chromium), and prints the budgets. Fast when everything is already there.
set -euo pipefail
cd "$(dirname "$0")"
web=$PWD
root=$(cd .. && pwd)
export PATH="$web/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR=never
step() { printf '\n==> %s\n' "$*"; }

step "playground toolchain"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
# wasm-pack cannot download wasm-bindgen here: it uses the one on PATH when its version is the
# one in Cargo.lock.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  # --locked first; its lockfile may pin a dependency release since yanked, then resolve afresh.
  cargo install --locked wasm-bindgen-cli --version "$want" || cargo install wasm-bindgen-cli --version "$want"
fi
command -v wasm-pack >/dev/null || cargo install --locked wasm-pack
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
# npm packages (vite, codemirror, playwright-core, binaryen's wasm-opt, ...): again when the
# lockfile changed.
if ! cmp -s package-lock.json node_modules/.multirun-package-lock.json 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.multirun-package-lock.json
fi

step "native CLI (the reference for parity)"
# tests/run.sh passes the CLI its workspace test run built (MULTIRUN_BIN, read by
# tests/helpers.mjs); building the root package alone would compile it again.
if [ -z "${MULTIRUN_BIN:-}" ]; then
  (cd "$root" && cargo build --locked --bin multirun)
elif [ ! -x "$MULTIRUN_BIN" ]; then
  echo "MULTIRUN_BIN=$MULTIRUN_BIN is not an executable" >&2
  exit 1
fi

step "build: wasm (wasm-pack, release, wasm-opt -Os) + site (vite)"
npm run build

step "parity: wasm package vs native CLI, every fixture and example"
node --test --test-reporter=spec tests/parity.test.mjs

step "end to end: headless chromium against the built site"
node --test --test-reporter=spec --test-timeout=300000 tests/e2e.test.mjs

step "budgets"
node tests/budgets.mjs "$root/test-artifacts/budgets.json"
