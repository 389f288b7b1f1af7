#!/bin/bash
# Build the fcitx Qt 6 input-context plugins for the Qt of the PySide6 wheels.
#
#   packaging/linux/fcitx/build-plugins.sh x86_64|aarch64
#
# Output: ${JXZP_CACHE:-$HOME/.cache/jxzp}/fcitx-plugins-<ARCH>/
#   platforminputcontexts/libfcitxplatforminputcontextplugin-qt6.so  (fcitx-qt5 1.2.7, BSD-3: fcitx 4 + fcitx5)
#   gpl/platforminputcontexts/libfcitx5platforminputcontextplugin.so (fcitx5-qt 5.1.9: fcitx5 + fcitx 4;
#       BSD-3 + GPL-2.0-or-later; in platforminputcontexts/ instead with FCITX5_QT_PLUGIN=bundle)
#   licenses/                                                          (licence texts, bundle them)
#   BUILDINFO                                                          (versions, symbol versions needed)
# Copy platforminputcontexts/*.so into the bundle's PySide6/Qt/plugins/platforminputcontexts/.
#
# How (see README.md beside this file): the code is compiled by GCC 10 in a Debian 11 (bullseye)
# root, with libstdc++ and libgcc linked statically, against Debian 13's Qt 6.8.2 headers
# (QtGui private ones included) and linked against the Qt libraries of the PySide6 wheel that the
# plugins will be loaded into (so --no-undefined proves every Qt symbol exists there). moc and
# qdbusxml2cpp 6.8.2 are Debian 13's, run on the build machine with Debian 13's own loader.
# fcitx5-qt is built as upstream's BUILD_ONLY_PLUGIN: its D-Bus addons library is linked into
# the plugin, so there is no libFcitx5Qt6DBusAddons.so.1 to ship and no RUNPATH to set.
# aarch64 is cross-compiled (gcc-aarch64-linux-gnu of bullseye, glibc 2.31): no qemu.
set -euo pipefail

ARCH=${1:?usage: $0 x86_64|aarch64}
case "$ARCH" in
  x86_64)  DEB_ARCH=amd64; TRIPLET=x86_64-linux-gnu;  CROSS=;                   WHEEL_TAG=manylinux_2_28_x86_64;  PYSIDE_LINK=6.8.2.1; MAX_GLIBC=2.28 ;;
  aarch64) DEB_ARCH=arm64; TRIPLET=aarch64-linux-gnu; CROSS=aarch64-linux-gnu-; WHEEL_TAG=manylinux_2_31_aarch64; PYSIDE_LINK=6.8.0.2; MAX_GLIBC=2.31 ;;
  *) echo "unknown ARCH $ARCH (x86_64|aarch64)" >&2; exit 2 ;;
esac
MAX_GLIBCXX=3.4.25   # GCC 8 (UOS 20, Kylin V10)
MAX_CXXABI=1.3.11

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${JXZP_CACHE:-$HOME/.cache/jxzp}
WORK=$CACHE/fcitx-work
ROOT=${FCITX_BUILD_ROOT:-$CACHE/roots/fcitx-bullseye-amd64}
OUT=$CACHE/fcitx-plugins-$ARCH
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
JOBS=${JOBS:-2}

# --- pinned inputs ---------------------------------------------------------------------------
FCITX_QT5_VERSION=1.2.7
FCITX_QT5_TARBALL=fcitx-qt5_1.2.7.orig.tar.xz
FCITX_QT5_SHA256=951fcf8f1db23ed22ad91094eb4c6c906f92005a3643b52f666bd8a331163147
FCITX5_QT_VERSION=5.1.9
FCITX5_QT_TARBALL=fcitx5-qt_5.1.9.orig.tar.xz
FCITX5_QT_SHA256=f0ca701ce50009de819dc4001ab95aa04c61f68f47f3150d01a8776c0b012d99
# The mirror may lack fcitx5-qt's orig tarball; then a git clone of the public fcitx/fcitx5-qt
# repository (FCITX5_QT_GIT=/path/to/clone-or-bare-repo) is used, checked by commit and tree.
FCITX5_QT_COMMIT=3ade1a680221f3e211adcfb50c323285c4bded77
FCITX5_QT_TREE=e9bc19a6956a07c4cad2af3908bacaf63dafee83
QT_DEB_VERSION=6.8.2+dfsg-9+deb13u2          # Debian 13 qt6-base (headers, moc, qdbusxml2cpp)
TOOLS_DEBS="libc6 libstdc++6 libgcc-s1 libpcre2-16-0"   # runtime of Debian 13's moc/qdbusxml2cpp
BULLSEYE_PKGS=build-essential,pkg-config,patchelf,file,ca-certificates,x11proto-dev,libxcb1-dev,libxkbcommon-dev,gcc-aarch64-linux-gnu,g++-aarch64-linux-gnu

log() { echo "== $*" >&2; }

# One build at a time per cache (packaging/linux/build.sh runs this script too): both arches
# share the source and apt folders.
mkdir -p "$WORK"
exec 9>"$WORK/.build.lock"
flock -w 3600 9 || { echo "another build-plugins.sh holds $WORK/.build.lock" >&2; exit 1; }
sha_check() { echo "$2  $1" | sha256sum -c --quiet - || { echo "sha256 mismatch: $1" >&2; exit 1; }; }

mkdir -p "$WORK/src" "$WORK/debs" "$WORK/wheels"

# --- build root: Debian 11, GCC 10, glibc 2.31 -------------------------------------------------
if [ ! -x "$ROOT/usr/bin/g++" ]; then
  log "debootstrap bullseye into $ROOT"
  debootstrap --variant=minbase --include=$BULLSEYE_PKGS bullseye "$ROOT" "$MIRROR"
fi
if [ "$ARCH" = aarch64 ] && ! chroot "$ROOT" dpkg -s libxkbcommon-dev:arm64 >/dev/null 2>&1; then
  log "arm64 headers/libs in the build root"
  chroot "$ROOT" sh -c 'dpkg --add-architecture arm64 && apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libxkbcommon-dev:arm64 libxcb1-dev:arm64'
fi
for p in x11proto-dev libxcb1-dev; do
  chroot "$ROOT" dpkg -s $p >/dev/null 2>&1 || chroot "$ROOT" sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $p"
done

# --- sources -----------------------------------------------------------------------------------
cd "$WORK/src"
if [ ! -f "$FCITX_QT5_TARBALL" ]; then
  curl -fsSLO "$MIRROR/pool/main/f/fcitx-qt5/$FCITX_QT5_TARBALL"
fi
sha_check "$FCITX_QT5_TARBALL" "$FCITX_QT5_SHA256"
if [ ! -f "$FCITX5_QT_TARBALL" ]; then
  curl -fsSLO "$MIRROR/pool/main/f/fcitx5-qt/$FCITX5_QT_TARBALL" || rm -f "$FCITX5_QT_TARBALL"
fi
GIT_TAR=fcitx5-qt-$FCITX5_QT_COMMIT.tar   # a verified git export kept from an earlier run
if [ ! -f "$FCITX5_QT_TARBALL" ] && [ -z "${FCITX5_QT_GIT:-}" ] && [ ! -f "$GIT_TAR" ]; then
  echo "fcitx5-qt tarball not on the mirror: set FCITX5_QT_GIT to a clone of github.com/fcitx/fcitx5-qt" >&2
  exit 1
fi
rm -rf src-fcitx-qt5 src-fcitx5-qt && mkdir src-fcitx-qt5 src-fcitx5-qt
tar -xf "$FCITX_QT5_TARBALL" -C src-fcitx-qt5 --strip-components=1
if [ -f "$FCITX5_QT_TARBALL" ]; then
  sha_check "$FCITX5_QT_TARBALL" "$FCITX5_QT_SHA256"
  tar -xf "$FCITX5_QT_TARBALL" -C src-fcitx5-qt --strip-components=1
elif [ -n "${FCITX5_QT_GIT:-}" ]; then
  log "fcitx5-qt from git $FCITX5_QT_GIT"
  [ "$(git -C "$FCITX5_QT_GIT" rev-parse "$FCITX5_QT_COMMIT^{tree}")" = "$FCITX5_QT_TREE" ] ||
    { echo "fcitx5-qt commit $FCITX5_QT_COMMIT missing or its tree differs" >&2; exit 1; }
  git -C "$FCITX5_QT_GIT" archive --format=tar -o "$WORK/src/$GIT_TAR.part" "$FCITX5_QT_COMMIT"
  mv "$WORK/src/$GIT_TAR.part" "$GIT_TAR"
  tar -xf "$GIT_TAR" -C src-fcitx5-qt
else
  log "fcitx5-qt from $WORK/src/$GIT_TAR (verified when it was exported)"
  tar -xf "$GIT_TAR" -C src-fcitx5-qt
fi

# --- Debian 13 Qt 6.8.2 headers and tools, through a private apt root (machine sources untouched)
APTR=$WORK/apt-trixie
if [ ! -f "$APTR/apt.conf" ]; then
  mkdir -p "$APTR/etc/preferences.d" "$APTR/state/lists/partial" "$APTR/cache/archives/partial"
  touch "$APTR/state/status"
  echo "deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR trixie main" > "$APTR/etc/sources.list"
  cat > "$APTR/apt.conf" <<EOF
Dir::Etc::sourcelist "$APTR/etc/sources.list";
Dir::Etc::sourceparts "-";
Dir::Etc::preferencesparts "$APTR/etc/preferences.d";
Dir::State "$APTR/state";
Dir::State::status "$APTR/state/status";
Dir::Cache "$APTR/cache";
APT::Architecture "amd64";
APT::Architectures { "amd64"; "arm64"; };
APT::Sandbox::User "root";
EOF
  APT_CONFIG=$APTR/apt.conf apt-get update -q
fi
cd "$WORK/debs"
need=""
for p in "qt6-base-dev:$DEB_ARCH" "qt6-base-private-dev:$DEB_ARCH"; do
  ls "${p%%:*}_${QT_DEB_VERSION//:/%3a}_$DEB_ARCH.deb" >/dev/null 2>&1 || need="$need $p=$QT_DEB_VERSION"
done
ls "qt6-base-dev-tools_${QT_DEB_VERSION}_amd64.deb" >/dev/null 2>&1 || need="$need qt6-base-dev-tools:amd64=$QT_DEB_VERSION"
for p in $TOOLS_DEBS; do ls ${p}_*_amd64.deb >/dev/null 2>&1 || need="$need $p:amd64"; done
# apt verifies every .deb against the signed trixie index.
[ -z "$need" ] || APT_CONFIG=$APTR/apt.conf apt-get download -q $need

SDK=$ROOT/opt/jxzp-qt6-sdk-$DEB_ARCH
if [ ! -d "$SDK/usr/include/$TRIPLET/qt6/QtGui/6.8.2" ]; then
  rm -rf "$SDK"; mkdir -p "$SDK"
  dpkg-deb -x "qt6-base-dev_${QT_DEB_VERSION}_$DEB_ARCH.deb" "$SDK"
  dpkg-deb -x "qt6-base-private-dev_${QT_DEB_VERSION}_$DEB_ARCH.deb" "$SDK"
fi
TOOLS=$WORK/qt6-tools-amd64
if [ ! -x "$TOOLS/usr/lib/qt6/libexec/moc" ]; then
  rm -rf "$TOOLS"; mkdir -p "$TOOLS"
  for d in qt6-base-dev-tools_${QT_DEB_VERSION}_amd64.deb; do dpkg-deb -x "$d" "$TOOLS"; done
  for p in $TOOLS_DEBS; do dpkg-deb -x "$(ls ${p}_*_amd64.deb | head -1)" "$TOOLS"; done
fi

# --- the wheel whose Qt the plugins are linked against -----------------------------------------
WHEEL_DIR=$ROOT/opt/jxzp-pyside6-$PYSIDE_LINK-$ARCH
if [ ! -f "$WHEEL_DIR/PySide6/Qt/lib/libQt6Gui.so.6" ]; then
  pip download -q --no-deps --only-binary=:all: --platform "$WHEEL_TAG" --python-version 3.11 \
    "PySide6-Essentials==$PYSIDE_LINK" -d "$WORK/wheels"
  rm -rf "$WHEEL_DIR"; mkdir -p "$WHEEL_DIR"
  python3 -m zipfile -e "$(ls "$WORK"/wheels/[Pp][Yy][Ss]ide6_[Ee]ssentials-$PYSIDE_LINK-*$ARCH.whl)" "$WHEEL_DIR"
fi
# Host-side Qt 6.8.2 libraries for Debian 13's qdbusxml2cpp (x86-64 wheel, any arch target).
HOSTQT=$WORK/pyside6-6.8.2.1-x86_64
if [ ! -f "$HOSTQT/PySide6/Qt/lib/libQt6DBus.so.6" ]; then
  pip download -q --no-deps --only-binary=:all: --platform manylinux_2_28_x86_64 --python-version 3.11 \
    "PySide6-Essentials==6.8.2.1" -d "$WORK/wheels"
  mkdir -p "$HOSTQT"
  python3 -m zipfile -e "$(ls "$WORK"/wheels/[Pp][Yy][Ss]ide6_[Ee]ssentials-6.8.2.1-*x86_64.whl)" "$HOSTQT"
fi
run_tool() {  # Debian 13 binaries on any x86-64 Linux: its own loader and libraries
  local tool=$1; shift
  "$TOOLS/usr/lib64/ld-linux-x86-64.so.2" \
    --library-path "$TOOLS/usr/lib/x86_64-linux-gnu:$HOSTQT/PySide6/Qt/lib" "$tool" "$@"
}
MOC=$TOOLS/usr/lib/qt6/libexec/moc
QDBUSXML2CPP=$TOOLS/usr/lib/qt6/bin/qdbusxml2cpp

# --- generate (moc, qdbusxml2cpp) on the build machine, into the root ---------------------------
B=$ROOT/build/fcitx-$ARCH
rm -rf "$B"; mkdir -p "$B"
cp -a "$WORK/src/src-fcitx-qt5" "$B/fcitx-qt5"
cp -a "$WORK/src/src-fcitx5-qt" "$B/fcitx5-qt"
INC=/opt/jxzp-qt6-sdk-$DEB_ARCH/usr/include/$TRIPLET/qt6       # as seen inside the root
QTINC="-I$INC -I$INC/QtCore -I$INC/QtGui -I$INC/QtDBus -I$INC/QtWidgets
  -I$INC/QtCore/6.8.2 -I$INC/QtCore/6.8.2/QtCore -I$INC/QtGui/6.8.2 -I$INC/QtGui/6.8.2/QtGui"
MOCINC=$(echo $QTINC | sed "s|-I|-I$ROOT|g")
QTDEFS="-DQT_NO_DEBUG -DQT_PLUGIN -DQT_CORE_LIB -DQT_GUI_LIB -DQT_DBUS_LIB -DQT_WIDGETS_LIB"

moc_headers() {  # $1: dir (host path); moc every header declaring a meta-object (CMake AUTOMOC)
  local dir=$1; shift
  for h in "$dir"/*.h; do
    grep -qE 'Q_OBJECT|Q_GADGET|Q_PLUGIN_METADATA' "$h" || continue
    [ ! -f "$dir/included-moc/moc_$(basename "${h%.h}").cpp" ] || continue
    run_tool "$MOC" "$@" -I"$dir" $MOCINC "$h" -o "$dir/moc_$(basename "${h%.h}").cpp"
  done
}

# fcitx-qt5 1.2.7, Qt 6 frontend (what qt6_add_dbus_interface + AUTOMOC do)
P4=$B/fcitx-qt5/qt6/platforminputcontext
for x in InputContext:inputcontextproxy InputContext1:inputcontext1proxy InputMethod:inputmethodproxy InputMethod1:inputmethod1proxy; do
  (cd "$P4" && run_tool "$QDBUSXML2CPP" -m -i fcitxqtdbustypes.h -p "${x#*:}" "org.fcitx.Fcitx.${x%%:*}.xml")
  # qdbusxml2cpp -m: the generated .cpp #includes its moc output (moc_<name>.cpp in 6.8)
  mkdir -p "$P4/included-moc"
  run_tool "$MOC" -I"$P4" $MOCINC "$P4/${x#*:}.h" -o "$P4/included-moc/moc_${x#*:}.cpp"
done
moc_headers "$P4"

# fcitx5-qt 5.1.9, Qt 6 plugin with the D-Bus addons linked in (BUILD_ONLY_PLUGIN)
F5=$B/fcitx5-qt
# Keys: "fcitx5" only (upstream adds "fcitx" too): then QT_IM_MODULE=fcitx always means
# fcitx-qt5's plugin and fcitx5 the fcitx5-qt one, never whichever Qt happens to load first.
sed 's/@FCITX5_QT_EXTRA_PLUGIN_NAME@//' "$F5/qt6/platforminputcontext/fcitx5.json.in" > "$F5/qt6/platforminputcontext/fcitx5.json"
cat > "$F5/qt6/dbusaddons/fcitx5qt6dbusaddons_export.h" <<'EOF'
#pragma once
/* generate_export_header() with FCITX5QT6DBUSADDONS_STATIC_DEFINE: linked into the plugin */
#define FCITX5QT6DBUSADDONS_EXPORT
#define FCITX5QT6DBUSADDONS_NO_EXPORT
#define FCITX5QT6DBUSADDONS_DEPRECATED __attribute__((__deprecated__))
EOF
moc_headers "$F5/qt6/dbusaddons"
moc_headers "$F5/qt6/platforminputcontext" -I"$F5/common" -I"$F5/qt6/dbusaddons" \
  "-DFCITX_PLUGIN_DATA_FILE_PATH=\"$F5/qt6/platforminputcontext/fcitx5.json\""

# --- compile and link inside the root ----------------------------------------------------------
LIBDIR=/opt/jxzp-pyside6-$PYSIDE_LINK-$ARCH/PySide6/Qt/lib
SYSLIB=/usr/lib/$TRIPLET
cat > "$B/rules.mk" <<'EOF'
%.o: %.cpp
	$(CXX) $(CXXFLAGS) $(FLAGS) -c $< -o $@
EOF
cat > "$B/build.sh" <<EOF
#!/bin/bash
set -euo pipefail
export CXX=${CROSS}g++
export CXXFLAGS="-std=c++17 -O2 -fPIC -fvisibility=hidden -fvisibility-inlines-hidden -g0 -w $QTDEFS $(echo $QTINC)"
# libstdc++/libgcc static (GCC 10's shared one would need GLIBCXX_3.4.28); their symbols stay hidden.
LDFLAGS="-shared -Wl,--no-undefined -Wl,--as-needed -static-libstdc++ -static-libgcc -Wl,--exclude-libs,ALL -Wl,-O1 -s -L$LIBDIR -Wl,-rpath-link,$LIBDIR"
objs() { for s in "\$@"; do echo "\${s%.cpp}.o"; done; }
mk() { flags=\$1; shift; make -s -j$JOBS -f /build/fcitx-$ARCH/rules.mk FLAGS="\$flags" \$(objs "\$@"); }

cd /build/fcitx-$ARCH/fcitx-qt5/qt6/platforminputcontext
# QT_GUI_BUILD_REMOVED_API: QWindowSystemInterface::handleContextMenuEvent became a template in
# 6.8.1+; this declares the plain function too, which every Qt 6 from 6.0 exports (6.8.0's
# wheel, the aarch64 one, has only that), and overload resolution prefers it.
mk "-DQT_NO_KEYWORDS -DQT_GUI_BUILD_REMOVED_API -I. -Iincluded-moc" *.cpp
\$CXX -o libfcitxplatforminputcontextplugin-qt6.so *.o \$LDFLAGS -l:libQt6Gui.so.6 -l:libQt6DBus.so.6 -l:libQt6Core.so.6 -lxkbcommon

cd /build/fcitx-$ARCH/fcitx5-qt/qt6
mk "-DFCITX5QT6DBUSADDONS_STATIC_DEFINE -Idbusaddons" dbusaddons/*.cpp
mk "-DQT_GUI_BUILD_REMOVED_API -DFCITX5QT6DBUSADDONS_STATIC_DEFINE -DFCITX5_QT_VERSION='\"$FCITX5_QT_VERSION\"' -DENABLE_X11 -Idbusaddons -I../common -Iplatforminputcontext" platforminputcontext/*.cpp
\$CXX -o libfcitx5platforminputcontextplugin.so platforminputcontext/*.o dbusaddons/*.o \$LDFLAGS -l:libQt6Widgets.so.6 -l:libQt6Gui.so.6 -l:libQt6DBus.so.6 -l:libQt6Core.so.6 -lxkbcommon -lxcb
EOF
chmod +x "$B/build.sh"
log "compile ($ARCH) in $ROOT"
chroot "$ROOT" /bin/bash "/build/fcitx-$ARCH/build.sh"

# --- output layout, licences, checks -----------------------------------------------------------
# fcitx5-qt's plugin contains GPL-2.0-or-later code (platforminputcontext/font.cpp): it goes
# into the bundle folder only on request (FCITX5_QT_PLUGIN=bundle); by default it is left in
# gpl/ and the bundle carries fcitx-qt5's BSD-3 plugin alone, which serves fcitx 4 and fcitx5.
F5DEST=gpl/platforminputcontexts
[ "${FCITX5_QT_PLUGIN:-}" != bundle ] || F5DEST=platforminputcontexts
FINAL=$OUT; OUT=$OUT.new   # the previous output stays until this one passes its checks
F5LIC=${F5DEST%platforminputcontexts}licenses/fcitx5-qt
rm -rf "$OUT"; mkdir -p "$OUT/platforminputcontexts" "$OUT/$F5DEST" "$OUT/licenses/fcitx-qt5" "$OUT/$F5LIC"
cp "$B/fcitx-qt5/qt6/platforminputcontext/libfcitxplatforminputcontextplugin-qt6.so" "$OUT/platforminputcontexts/"
cp "$B/fcitx5-qt/qt6/libfcitx5platforminputcontextplugin.so" "$OUT/$F5DEST/"
# fcitx-qt5's Qt 6 frontend is BSD-3-Clause throughout (COPYING, GPL-2, covers other parts)
cp "$B/fcitx-qt5/COPYING.BSD" "$OUT/licenses/fcitx-qt5/"
cp "$B"/fcitx5-qt/LICENSES/* "$OUT/$F5LIC/"
# platforminputcontext/font.{h,cpp} are GPL-2.0-or-later (the rest BSD-3-Clause); upstream's
# LICENSES/ lacks that text: take the GPL-2 text shipped with fcitx-qt5.
cp "$B/fcitx-qt5/COPYING" "$OUT/$F5LIC/GPL-2.0-or-later.txt"
printf '%s\n' "fcitx-qt5 $FCITX_QT5_VERSION: Debian source package fcitx-qt5 (https://github.com/fcitx/fcitx-qt5)" \
  "fcitx5-qt $FCITX5_QT_VERSION: Debian source package fcitx5-qt (https://github.com/fcitx/fcitx5-qt, commit $FCITX5_QT_COMMIT)" \
  > "$OUT/licenses/SOURCES.txt"

fail=0
{
  echo "built: $(date -u +%FT%TZ) on $(uname -m) by $0"
  echo "fcitx-qt5 $FCITX_QT5_VERSION, fcitx5-qt $FCITX5_QT_VERSION; Qt headers Debian $QT_DEB_VERSION;"
  echo "linked against PySide6-Essentials $PYSIDE_LINK ($WHEEL_TAG); GCC: $(chroot "$ROOT" ${CROSS}g++ -dumpfullversion)"
  for so in "$OUT"/platforminputcontexts/*.so "$OUT"/gpl/platforminputcontexts/*.so; do
    [ -f "$so" ] || continue
    echo "-- ${so#$OUT/}"
    readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/  NEEDED \1/p'
    vers=$(objdump -T "$so" | grep -oE '(GLIBC|GLIBCXX|CXXABI|GCC)_[0-9.]+' | sort -u -V | tr '\n' ' ')
    echo "  versions: $vers"
  done
} > "$OUT/BUILDINFO"
cat "$OUT/BUILDINFO"
for so in "$OUT"/platforminputcontexts/*.so "$OUT"/gpl/platforminputcontexts/*.so; do
  [ -f "$so" ] || continue
  for v in $(objdump -T "$so" | grep -oE 'GLIBC_[0-9.]+' | sort -u); do
    [ "$(printf '%s\n%s\n' "${v#GLIBC_}" "$MAX_GLIBC" | sort -V | tail -1)" = "$MAX_GLIBC" ] ||
      { echo "FAIL $(basename "$so") needs $v > GLIBC_$MAX_GLIBC"; fail=1; }
  done
  for v in $(objdump -T "$so" | grep -oE 'GLIBCXX_[0-9.]+' | sort -u); do
    [ "$(printf '%s\n%s\n' "${v#GLIBCXX_}" "$MAX_GLIBCXX" | sort -V | tail -1)" = "$MAX_GLIBCXX" ] ||
      { echo "FAIL $(basename "$so") needs $v > GLIBCXX_$MAX_GLIBCXX"; fail=1; }
  done
  for v in $(objdump -T "$so" | grep -oE 'CXXABI_[0-9.]+' | sort -u); do
    [ "$(printf '%s\n%s\n' "${v#CXXABI_}" "$MAX_CXXABI" | sort -V | tail -1)" = "$MAX_CXXABI" ] ||
      { echo "FAIL $(basename "$so") needs $v > CXXABI_$MAX_CXXABI"; fail=1; }
  done
done
if [ -f "$HERE/../glibc_check.py" ]; then  # the project's own checker, same limit
  python3 "$HERE/../glibc_check.py" --max "$MAX_GLIBC" "$OUT/platforminputcontexts" "$OUT/gpl" | tee -a "$OUT/BUILDINFO" || fail=1
fi
if [ $fail = 0 ]; then
  sed -i "s|$OUT/|$FINAL/|g" "$OUT/BUILDINFO"
  rm -rf "$FINAL" && mv "$OUT" "$FINAL"
  log "OK: $FINAL (needs at most GLIBC_$MAX_GLIBC, GLIBCXX_$MAX_GLIBCXX)"
fi
exit $fail
