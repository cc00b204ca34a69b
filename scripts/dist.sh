#!/usr/bin/env bash
# `make dist`: ferry for machines without Rust, into dist/ —
#   ferry                                   the static Linux x86_64 binary (no shared library)
#   ferry-V-x86_64-unknown-linux-gnu.tar.gz that binary, the licences, completions, man pages
#   ferry_pg-V-py3-none-manylinux….whl      `pip install` / `uv tool install` / `pipx install`
#   ferry-pg-V.tgz                          `npm install -g` / `npx`
#   SHA256SUMS                              every file above
# Needs Rust and Python 3 (maturin is installed into target/dist-venv from PyPI); no node:
# the npm tarball is written here in npm's own layout (`package/…`).
set -euo pipefail
cd "$(dirname "$0")/.."

target=x86_64-unknown-linux-gnu
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
out=dist
rm -rf "$out"
mkdir -p "$out"

# glibc and OpenSSL linked in: the binary runs in an empty root filesystem. Random bytes
# (SCRAM's nonce) from the getrandom system call as linked in, not looked up at run time
# (a static binary cannot) with /dev/urandom behind it (an empty root has none).
export RUSTFLAGS='-C target-feature=+crt-static --cfg getrandom_backend="linux_getrandom"'

FERRY_BUILD_COMMIT=${FERRY_BUILD_COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
export FERRY_BUILD_COMMIT

venv=target/dist-venv
if [ ! -x "$venv/bin/maturin" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'maturin>=1.5,<2'
fi
# One build: maturin compiles the binary (features from pyproject.toml) and wraps it.
"$venv/bin/maturin" build --release --locked --target "$target" \
  --compatibility manylinux2014 --out "$out"

binary="target/$target/release/ferry"
if readelf -d "$binary" | grep -q NEEDED; then
  echo "dist: $binary needs shared libraries:" >&2
  readelf -d "$binary" | grep NEEDED >&2
  exit 1
fi
install -m 0755 "$binary" "$out/ferry"

# The archive: binary, licences, README, completions and man pages from the clap model.
stage="target/dist-stage/ferry-$version"
rm -rf "target/dist-stage"
mkdir -p "$stage/man"
cp "$out/ferry" README.md LICENSE-MIT LICENSE-APACHE "$stage/"
cp -r completions "$stage/completions"
"$out/ferry" man "$stage/man"
tar -C target/dist-stage -czf "$out/ferry-$version-$target.tar.gz" "ferry-$version"

# The npm package: `bin` is the binary itself (Linux x64 only, as `os` and `cpu` say).
python3 - "$version" "$out" <<'PY'
import io, sys, tarfile
version, out = sys.argv[1], sys.argv[2]
manifest = open("packaging/npm/package.json.in").read().replace("@VERSION@", version)
with tarfile.open(f"{out}/ferry-pg-{version}.tgz", "w:gz") as tgz:
    def add(name, data, mode):
        info = tarfile.TarInfo(f"package/{name}")
        info.size, info.mode, info.mtime = len(data), mode, 0
        tgz.addfile(info, io.BytesIO(data))
    add("package.json", manifest.encode(), 0o644)
    add("bin/ferry", open(f"{out}/ferry", "rb").read(), 0o755)
    for name in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"]:
        add(name, open(name, "rb").read(), 0o644)
PY

(cd "$out" && sha256sum -- * > SHA256SUMS)
echo "dist: $(ls "$out" | tr '\n' ' ')" >&2
"$out/ferry" --version
