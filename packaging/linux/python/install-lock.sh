#!/usr/bin/env bash
# Install packaging/linux/requirements-ARCH.lock (hash-checked wheels) into the site-packages
# of the Python made by build-python.sh ARCH.
#
#   packaging/linux/python/install-lock.sh x86_64|aarch64
#
# The build machine's pip does the fetching and installing (`--target`, with the target's
# platform/ABI tags), so neither ssl in the built Python nor an ARM64 machine is needed; the
# hashes in the lock are checked (--require-hashes), dependencies come from the lock only.
# Skipped when the same lock is already installed.
set -euo pipefail
ARCH="${1:-}"
case "$ARCH" in
  x86_64)  glibc=28 ;;
  aarch64) glibc=31 ;;
  *) echo "usage: $0 x86_64|aarch64" >&2; exit 2 ;;
esac
HERE="$(cd "$(dirname "$0")" && pwd)"
LOCK="$HERE/../requirements-$ARCH.lock"
CACHE="${JXZP_CACHE:-$HOME/.cache/jxzp}"
PREFIX="$CACHE/python-$ARCH"
SITE="$PREFIX/lib/python3.11/site-packages"
PIP="${PIP:-python3 -m pip}"
[ -x "$PREFIX/bin/python3.11" ] || { echo "no $PREFIX/bin/python3.11: run build-python.sh $ARCH first" >&2; exit 1; }

stamp="$SITE/.jxzp-lock"
if cmp -s "$LOCK" "$stamp"; then
  echo "== $LOCK already installed in $SITE" >&2
  exit 0
fi
platforms=(--platform "manylinux2014_$ARCH")
for ((m = 17; m <= glibc; m++)); do platforms+=(--platform "manylinux_2_${m}_$ARCH"); done
$PIP install -q --disable-pip-version-check --no-deps --only-binary=:all: --require-hashes \
  --python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none "${platforms[@]}" \
  --target "$SITE" --upgrade -r "$LOCK"
# --target --upgrade leaves the dist-info of a replaced version (the bundled pip 22.3.1) and
# puts console scripts, whose first line names the build machine's Python, in site-packages/bin:
# drop both (use `python3.11 -m PyInstaller`, `python3.11 -m pip`).
python3 - "$SITE" "$LOCK" <<'PY'
import pathlib, re, shutil, sys
site, lock = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
pins = dict(m.groups() for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+)", lock.read_text(), re.M))
pins = {norm(k): v for k, v in pins.items()}
for info in site.glob("*.dist-info"):
    name, _, version = info.name[: -len(".dist-info")].rpartition("-")
    if norm(name) in pins and version != pins[norm(name)]:
        shutil.rmtree(info)
shutil.rmtree(site / "bin", ignore_errors=True)
PY
cp "$LOCK" "$stamp"
echo "== installed $LOCK into $SITE" >&2
