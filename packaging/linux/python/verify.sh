#!/usr/bin/env bash
# Prove the Python of build-python.sh ARCH (with install-lock.sh ARCH done): it imports the
# standard modules the app needs, runs the app's CLI, starts Qt offscreen, and every ELF file
# of its folder needs at most GLIBC 2.28 (x86_64) / 2.31 (aarch64).
#
#   packaging/linux/python/verify.sh x86_64|aarch64 [--root DIR]
#
# x86_64 runs on this machine and, when a root is given (or $JXZP_CACHE/roots/bullseye-amd64
# exists), inside that Debian 11 root too (glibc 2.31). aarch64 runs only inside its ARM64
# root ($JXZP_CACHE/roots/bullseye-arm64, through qemu-user binfmt). A root needs a CJK font
# (fonts-arphic-uming) for the PDF and Qt's system libraries (libegl1 libgl1 libfontconfig1
# libglib2.0-0 libxkbcommon0 libdbus-1-3 libx11-6) for the Qt check; the Python and the repo
# are bind-mounted read-only at /opt/jxzp-python and /opt/jxzp-src.
set -euo pipefail
ARCH="${1:-}"; shift || true
case "$ARCH" in
  x86_64)  max=2.28; debarch=amd64 ;;
  aarch64) max=2.31; debarch=arm64 ;;
  *) echo "usage: $0 x86_64|aarch64 [--root DIR]" >&2; exit 2 ;;
esac
REPO="$(cd "$(dirname "$0")/../../.." && pwd)"
CACHE="${JXZP_CACHE:-$HOME/.cache/jxzp}"
PREFIX="$CACHE/python-$ARCH"
ROOT="$CACHE/roots/bullseye-$debarch"
[ "${1:-}" = "--root" ] && ROOT="$2"

echo "== glibc_check --max $max $PREFIX"
python3 "$REPO/packaging/linux/glibc_check.py" -q --max "$max" "$PREFIX"

# Runs inside the interpreter under test; prints one line per fact.
read -r -d '' PROBE <<'EOF' || true
import bz2, ctypes, decimal, hashlib, json, lzma, sqlite3, sys, zlib, platform
db = sqlite3.connect(":memory:")
db.execute("create virtual table t using fts5(body)")
db.execute("insert into t values ('绩效 自评 报告')")
assert db.execute("select count(*) from t where t match '自评'").fetchone() == (1,)
db.execute("create virtual table t4 using fts4(body)")
assert db.execute("select json_extract('{\"a\": [1, 2]}', '$.a[1]')").fetchone() == (2,)
assert lzma.decompress(lzma.compress(b"x" * 1000)) == b"x" * 1000
assert bz2.decompress(bz2.compress(b"y" * 1000)) == b"y" * 1000
assert zlib.decompress(zlib.compress(b"z" * 1000)) == b"z" * 1000
assert ctypes.CDLL(None).strlen(b"abc") == 3
assert decimal.Decimal("0.1") + decimal.Decimal("0.2") == decimal.Decimal("0.3")
assert hashlib.sha256(b"").hexdigest().startswith("e3b0c442")
print(f"python {sys.version.split()[0]} {platform.machine()} libc {' '.join(platform.libc_ver())}"
      f" sqlite {sqlite3.sqlite_version} (fts4, fts5, json ok) zlib {zlib.ZLIB_RUNTIME_VERSION}"
      f" decimal {decimal.__libmpdec_version__}")
EOF
read -r -d '' QT <<'EOF' || true
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6 import __version__, QtCore
from PySide6.QtWidgets import QApplication, QLineEdit
from PySide6.QtPdf import QPdfDocument
app = QApplication(["probe"])
w = QLineEdit("你好"); w.show(); app.processEvents()
assert not w.grab().isNull()
doc = QPdfDocument(None); doc.load(sys.argv[1])
print(f"PySide6 {__version__} Qt {QtCore.qVersion()}: widget grabbed, QtPdf opened {doc.pageCount()} pages")
assert doc.pageCount() > 0
EOF

run_checks() { # python-command... (run from the repo folder)
  "$@" -c "$PROBE"
  "$@" -m desktop_app check --demo >/tmp/jxzp-check.out 2>&1 || [ $? -eq 1 ]  # 1 = findings
  echo "check --demo: $(tail -1 /tmp/jxzp-check.out)"
  rm -f /tmp/jxzp-verify.pdf
  "$@" -m desktop_app render --demo -o /tmp/jxzp-verify.pdf
  echo "render --demo: $(stat -c %s /tmp/jxzp-verify.pdf) bytes, $(head -c 8 /tmp/jxzp-verify.pdf | tr -dc '[:print:]')"
  "$@" -c "$QT" /tmp/jxzp-verify.pdf
}

if [ "$ARCH" = x86_64 ]; then
  echo "== on this machine ($(ldd --version | head -1))"
  (cd "$REPO" && run_checks "$PREFIX/bin/python3.11")
fi

if [ -d "$ROOT" ]; then
  echo "== in $ROOT ($(ls "$ROOT"/lib/*/libc-*.so 2>/dev/null | xargs -n1 basename))"
  mnt=()
  cleanup() { for ((i = ${#mnt[@]} - 1; i >= 0; i--)); do umount "${mnt[i]}" || true; done; }
  trap cleanup EXIT
  bind() { mkdir -p "$2"; mount --bind "$1" "$2"; mount -o remount,bind,ro "$2"; mnt+=("$2"); }
  bind "$PREFIX" "$ROOT/opt/jxzp-python"
  bind "$REPO" "$ROOT/opt/jxzp-src"
  mountpoint -q "$ROOT/proc" || { mount -t proc proc "$ROOT/proc"; mnt+=("$ROOT/proc"); }
  mountpoint -q "$ROOT/dev" || { mount --bind /dev "$ROOT/dev"; mnt+=("$ROOT/dev"); }
  export -f run_checks
  chroot "$ROOT" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 \
    PROBE="$PROBE" QT="$QT" bash -c \
    'set -euo pipefail; cd /opt/jxzp-src; export PYTHONDONTWRITEBYTECODE=1;
     '"$(declare -f run_checks)"'; run_checks /opt/jxzp-python/bin/python3.11'
elif [ "$ARCH" = aarch64 ]; then
  echo "no ARM64 root at $ROOT: nothing run" >&2; exit 1
fi
echo "== $ARCH verified"
