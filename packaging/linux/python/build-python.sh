#!/usr/bin/env bash
# Build CPython 3.11 for old Linux systems: x86-64 with glibc >= 2.28 (UOS 20, Kylin V10)
# and ARM64 with glibc >= 2.31, from this Debian 12 x86-64 machine.
#
#   packaging/linux/python/build-python.sh x86_64|aarch64
#
# The compiler is Zig's clang (the `ziglang` wheel from PyPI), which links against stub
# libraries of a chosen glibc version, so nothing can pick up a newer symbol by accident.
# zlib, bzip2, xz (lzma), libffi and SQLite (FTS3/4/5, JSON, RTree, math functions) are built
# statically (-fPIC) into the extension modules; expat and libmpdec are CPython's bundled
# copies. The result needs only glibc (libc, libm, libpthread, libdl, librt, libutil).
# No OpenSSL, readline, curses, gdbm, Tk, uuid: the app does not use them (hashlib keeps its
# built-in sha1/sha2/sha3/md5/blake2; uuid falls back to its pure-Python code).
#
# Both arches are cross builds (--build differs from --host, the build Python is this
# machine's python3.11 of the same 3.11.2), so CPython's setup.py never looks into /usr.
# Result: ${JXZP_CACHE:-~/.cache/jxzp}/python-ARCH/bin/python3.11 (+ lib/libpython3.11.so.1.0).
# A stamp of all inputs (this script, the pinned sources) makes a second run a no-op.
set -euo pipefail

ARCH="${1:-}"
case "$ARCH" in
  x86_64)  ZIG_TARGET=x86_64-linux-gnu.2.28;  HOST=x86_64-linux-gnu ;;
  aarch64) ZIG_TARGET=aarch64-linux-gnu.2.28; HOST=aarch64-linux-gnu ;;
  *) echo "usage: $0 x86_64|aarch64" >&2; exit 2 ;;
esac
# aarch64 targets glibc 2.28 too (the oldest zig and the wheels agree on; ARM64 systems have
# 2.28 or newer), which leaves room below the 2.31 the ARM64 .deb promises.

HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${JXZP_CACHE:-$HOME/.cache/jxzp}"
PREFIX="$CACHE/python-$ARCH"
WORK="$CACHE/build/python-$ARCH"
DL="$CACHE/dl/debian"
TOOLS="$CACHE/tools"
JOBS="${JOBS:-2}"
BUILD_PYTHON="${BUILD_PYTHON:-/usr/bin/python3.11}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# Debian 12 (bookworm) source packages: upstream tarballs as Debian ships them.
# name|pool path|sha256
SOURCES=(
  "python3.11_3.11.2.orig.tar.gz|pool/main/p/python3.11|2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849"
  "zlib_1.2.13.dfsg.orig.tar.bz2|pool/main/z/zlib|71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1"
  "bzip2_1.0.8.orig.tar.gz|pool/main/b/bzip2|ab5a03176ee106d3f0fa90e381da478ddae405918153cca248e682cd0c4a2269"
  "xz-utils_5.4.1.orig.tar.xz|pool/main/x/xz-utils|5d9827aa1875b21c288f78864bb26d2650b436ea8d2cad364e4921eb6266a5a5"
  "libffi_3.4.4.orig.tar.gz|pool/main/libf/libffi|d66c56ad259a82cf2a9dfc408b32bf5da52371500b84745f7fb8b645712df676"
  "sqlite3_3.40.1.orig.tar.xz|pool/main/s/sqlite3|aaa776260ab4dc976db34aa7891819484c8676b5b2783123ebc6301e2ca5d655"
)
ZIGLANG_REQ="ziglang==0.17.1 --hash=sha256:ea6cc5d87b033cf0aedfbc8f9549a908cae6c50ac31f1698188fa48a74524b54"

log() { printf '== [%s %s] %s\n' "$ARCH" "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- idempotence ------------------------------------------------------------------------
inputs_id() {
  { cat "$0"; printf '%s\n' "${SOURCES[@]}" "$ZIGLANG_REQ" "$ARCH";
    "$BUILD_PYTHON" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1
}
ID="$(inputs_id)"
if [ -x "$PREFIX/bin/python3.11" ] && [ "$(cat "$PREFIX/.build-inputs" 2>/dev/null)" = "$ID" ]; then
  log "up to date: $PREFIX/bin/python3.11 (inputs $ID)"
  exit 0
fi

"$BUILD_PYTHON" -c 'import sys; assert sys.version_info[:3] == (3, 11, 2), sys.version' || {
  echo "need the build machine's python3.11 == 3.11.2 (BUILD_PYTHON=...)" >&2; exit 1; }
command -v tclsh >/dev/null || { echo "need tclsh (apt-get install tcl) to make sqlite3.c" >&2; exit 1; }
START=$(date +%s)

# --- sources ----------------------------------------------------------------------------
mkdir -p "$DL"
for entry in "${SOURCES[@]}"; do
  IFS='|' read -r name pool sha <<<"$entry"
  if ! echo "$sha  $DL/$name" | sha256sum -c --status 2>/dev/null; then
    log "fetch $name"
    curl -fsSL --retry 3 -o "$DL/$name.part" "$MIRROR/$pool/$name"
    mv "$DL/$name.part" "$DL/$name"
    echo "$sha  $DL/$name" | sha256sum -c --quiet
  fi
done

# --- toolchain: zig cc from the ziglang wheel -------------------------------------------
ZVENV="$TOOLS/ziglang-0.17.1"
if [ ! -x "$ZVENV/bin/python" ] || ! "$ZVENV/bin/python" -c 'import ziglang' 2>/dev/null; then
  log "install ziglang into $ZVENV"
  "$BUILD_PYTHON" -m venv "$ZVENV" 2>/dev/null || python3 -m venv "$ZVENV"
  "$ZVENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes \
    -r /dev/stdin <<<"$ZIGLANG_REQ"
fi
ZIG="$("$ZVENV/bin/python" -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')"
export ZIG_GLOBAL_CACHE_DIR="$CACHE/zig-cache" ZIG_LOCAL_CACHE_DIR="$CACHE/zig-cache"

rm -rf "$WORK"
mkdir -p "$WORK/bin" "$WORK/src"
# -fno-sanitize=all: zig cc turns on UBSan traps when no -O is given (configure probes).
# -Wno-date-time: zig makes __DATE__ an error (Modules/getbuildinfo.c uses it).
# -Wl,-hNAME -> -Wl,-soname,NAME: zig's linker driver knows only the long spelling (libpython).
# A link of shared libraries alone (libpython3.so, the stable-ABI stub) fails in zig ("version
# '.2.28' in target triple is invalid"): an empty C input (-x c /dev/null) avoids that.
for tool in cc c++; do
  cat >"$WORK/bin/$tool" <<EOF
#!/bin/sh
objects=
for a do
  shift
  case "\$a" in
    -Wl,-h*) set -- "\$@" "-Wl,-soname,\${a#-Wl,-h}" ;;
    *.c|*.o|*.a|*.S|*.s|*.cpp|*.cc|-) objects=1; set -- "\$@" "\$a" ;;
    *) set -- "\$@" "\$a" ;;
  esac
done
[ -z "\$objects" ] && case " \$* " in *" -shared "*) set -- "\$@" -x c /dev/null ;; esac
exec "$ZIG" $tool -target $ZIG_TARGET -fno-sanitize=all -Wno-date-time "\$@"
EOF
done
for t in ar ranlib; do printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$ZIG" "$t" >"$WORK/bin/$t"; done
chmod +x "$WORK/bin/"*
export CC="$WORK/bin/cc" CXX="$WORK/bin/c++" AR="$WORK/bin/ar" RANLIB="$WORK/bin/ranlib"
DEP_CFLAGS="-O2 -fPIC -w"

unpack() { # tarball -> prints the directory it made
  local d="$WORK/src/${1%%_*}"
  mkdir -p "$d"
  tar -xf "$DL/$1" -C "$d" --strip-components=1
  echo "$d"
}

# --- static libraries -------------------------------------------------------------------
# Kept in $CACHE/build/deps-ARCH between builds while their recipe (this function, the
# sources, the compiler) is unchanged: a CPython-only change does not rebuild them.
build_deps() {
  log "zlib"
  d=$(unpack zlib_1.2.13.dfsg.orig.tar.bz2)
  (cd "$d" && CFLAGS="$DEP_CFLAGS" ./configure --static --prefix="$DEPS" >/dev/null \
    && make -s -j"$JOBS" libz.a >/dev/null && make -s install >/dev/null)

  log "bzip2"
  d=$(unpack bzip2_1.0.8.orig.tar.gz)
  (cd "$d" && make -s -j"$JOBS" libbz2.a CC="$CC" AR="$AR" RANLIB="$RANLIB" \
    CFLAGS="$DEP_CFLAGS -D_FILE_OFFSET_BITS=64" >/dev/null \
    && install -D -m644 bzlib.h "$DEPS/include/bzlib.h" && install -D -m644 libbz2.a "$DEPS/lib/libbz2.a")

  log "xz (liblzma)"
  d=$(unpack xz-utils_5.4.1.orig.tar.xz)
  (cd "$d" && CFLAGS="$DEP_CFLAGS" ./configure -q --host="$HOST" --prefix="$DEPS" \
    --disable-shared --enable-static --with-pic --disable-xz --disable-xzdec --disable-lzmadec \
    --disable-lzmainfo --disable-lzma-links --disable-scripts --disable-doc --disable-nls \
    && make -s -j"$JOBS" -C src/liblzma >/dev/null && make -s -C src/liblzma install >/dev/null)

  log "libffi"
  d=$(unpack libffi_3.4.4.orig.tar.gz)
  (cd "$d" && CFLAGS="$DEP_CFLAGS" ./configure -q --host="$HOST" --prefix="$DEPS" \
    --disable-shared --enable-static --with-pic --disable-docs --disable-multi-os-directory --disable-exec-static-tramp \
    && make -s -j"$JOBS" >/dev/null && make -s install >/dev/null)

  log "sqlite3 (amalgamation made with the host gcc + tclsh, compiled with zig)"
  d=$(unpack sqlite3_3.40.1.orig.tar.xz)
  (cd "$d" && mkdir -p amal && cd amal \
    && CC=gcc ../configure -q >/dev/null && make -s CC=gcc sqlite3.c >/dev/null 2>&1 \
    && "$CC" -O2 -fPIC -DNDEBUG -DSQLITE_THREADSAFE=1 \
         -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS4 \
         -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_MATH_FUNCTIONS \
         -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_UNLOCK_NOTIFY \
         -DSQLITE_SECURE_DELETE -DSQLITE_MAX_VARIABLE_NUMBER=250000 -DSQLITE_DEFAULT_FOREIGN_KEYS=0 \
         -c sqlite3.c -o sqlite3.o \
    && "$AR" rcs libsqlite3.a sqlite3.o \
    && install -D -m644 sqlite3.h "$DEPS/include/sqlite3.h" \
    && install -D -m644 sqlite3ext.h "$DEPS/include/sqlite3ext.h" \
    && install -D -m644 libsqlite3.a "$DEPS/lib/libsqlite3.a")
  rm -f "$DEPS"/lib/*.so* "$DEPS"/lib/*.la   # static only, whatever a configure did
}
DEPS="$CACHE/build/deps-$ARCH"
DEPS_ID="$({ declare -f build_deps unpack; printf '%s\n' "${SOURCES[@]}" "$ZIGLANG_REQ" "$ZIG_TARGET"; } | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$DEPS/.id" 2>/dev/null)" != "$DEPS_ID" ]; then
  rm -rf "$DEPS"
  build_deps
  echo "$DEPS_ID" >"$DEPS/.id"
else
  log "static libraries up to date in $DEPS"
fi

# --- CPython ------------------------------------------------------------------------------
log "CPython 3.11.2"
d=$(unpack python3.11_3.11.2.orig.tar.gz)
I="-I$DEPS/include"; L="-L$DEPS/lib"
# setup.py adds the build machine's /usr/include/<multiarch> and /usr/lib/<multiarch> (found
# with `dpkg-architecture`), which for x86_64 are Debian 12's glibc 2.36 headers: never them.
"$BUILD_PYTHON" - "$d/setup.py" <<'EOF'
import pathlib, sys
p = pathlib.Path(sys.argv[1])
old = "    def add_multiarch_paths(self):\n"
s = p.read_text()
assert s.count(old) == 1, "setup.py changed: review the multiarch patch"
p.write_text(s.replace(old, old + "        return  # jxzp: only the target's own headers and libraries\n"))
EOF
rm -rf "$PREFIX"
(cd "$d" && mkdir build && cd build && \
  CONFIG_SITE=/dev/null \
  OPT="-DNDEBUG -fwrapv -O2 -Wall" \
  CPPFLAGS="$I" LDFLAGS="$L" LIBFFI_INCLUDEDIR="$DEPS/include" \
  LIBFFI_CFLAGS="$I" LIBFFI_LIBS="$L -lffi" \
  LIBSQLITE3_CFLAGS="$I" LIBSQLITE3_LIBS="$L -lsqlite3 -lm -ldl -lpthread" \
  ZLIB_CFLAGS="$I" ZLIB_LIBS="$L -lz" \
  BZIP2_CFLAGS="$I" BZIP2_LIBS="$L -lbz2" \
  LIBLZMA_CFLAGS="$I" LIBLZMA_LIBS="$L -llzma" \
  PKG_CONFIG=false READELF=/usr/bin/readelf \
  ac_cv_file__dev_ptmx=yes ac_cv_file__dev_ptc=no ac_cv_buggy_getaddrinfo=no \
  py_cv_module__tkinter=n/a py_cv_module__uuid=n/a py_cv_module__gdbm=n/a \
  py_cv_module__dbm=n/a py_cv_module_nis=n/a py_cv_module__crypt=n/a \
  ../configure -q --build=x86_64-pc-linux-gnu --host="$HOST" --prefix="$PREFIX" \
    --enable-shared --with-build-python="$BUILD_PYTHON" --without-ensurepip \
    --disable-test-modules --with-lto=no \
  && make -j"$JOBS" >"$WORK/make.log" 2>&1 || { tail -40 "$WORK/make.log"; exit 1; }
  make -j"$JOBS" install >"$WORK/install.log" 2>&1 || { tail -40 "$WORK/install.log"; exit 1; })

# pip, from the wheel CPython bundles (a wheel is a zip; pure Python): no ensurepip run,
# which would need the target interpreter.
SITE="$PREFIX/lib/python3.11/site-packages"
"$BUILD_PYTHON" - "$d/Lib/ensurepip/_bundled" "$SITE" <<'EOF'
import pathlib, sys, zipfile
src, site = map(pathlib.Path, sys.argv[1:])
for whl in src.glob("pip-*.whl"):
    zipfile.ZipFile(whl).extractall(site)
    for info in site.glob("pip-*.dist-info"):
        (info / "INSTALLER").write_text("build-python.sh\n")
EOF
rm -rf "$PREFIX/lib/python3.11/test" "$PREFIX/lib/python3.11/idlelib/idle_test" \
  "$PREFIX/lib/python3.11/tkinter" "$PREFIX/lib/python3.11/turtledemo"
ln -sf python3.11 "$PREFIX/bin/python3"
# The interpreter finds its libpython next door, wherever the folder is moved.
patchelf --set-rpath '$ORIGIN/../lib' "$PREFIX/bin/python3.11"
echo "$ID" >"$PREFIX/.build-inputs"
log "done in $(( $(date +%s) - START )) s: $PREFIX/bin/python3.11 ($(du -sh "$PREFIX" | cut -f1))"
