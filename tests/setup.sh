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

# The google provider schema the Terraform check reads (tests/external/check-terraform.mjs): the
# jsii assembly inside PyPI's cdktn-provider-google (CDK Terrain's prebuilt bindings), 21.1.0
# being generated from hashicorp/google 8.7.0. Only the wheel is fetched (no dependencies), and
# only its `.jsii` and `package.json` are kept.
provider_schema_version=21.1.0
provider_schema_dir=.venv/cdktn-provider-google/$provider_schema_version
if [ ! -f "$provider_schema_dir/package/.jsii" ]; then
  wheels=$(mktemp -d)
  python3 -m pip download -q --disable-pip-version-check --no-deps \
    "cdktn-provider-google==$provider_schema_version" -d "$wheels"
  python3 - "$wheels"/cdktn_provider_google-*.whl "$provider_schema_dir" <<'PY'
import io, sys, tarfile, zipfile, pathlib
wheel, out = sys.argv[1], pathlib.Path(sys.argv[2])
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith(".jsii.tgz"))
    data = z.read(name)
with tarfile.open(fileobj=io.BytesIO(data)) as t:
    for member in ("package/.jsii", "package/package.json"):
        target = out / member
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(t.extractfile(member).read())
PY
  rm -rf "$wheels"
fi
