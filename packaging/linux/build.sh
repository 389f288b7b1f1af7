#!/usr/bin/env bash
# Build the Linux packages of the app for 统信UOS 20 / 银河麒麟 V10 (and Debian/Ubuntu):
#
#   packaging/linux/build.sh [--arch x86_64|aarch64] [--python-prefix DIR | --python PY]
#
# Output in dist/ (gitignored):
#   cn.gov.czj.jxzp_<version>_<amd64|arm64>.deb   the UOS/Kylin app-store layout under
#                                                 /opt/apps/cn.gov.czj.jxzp, linked into the
#                                                 freedesktop places, /usr/bin/jxzp
#   jxzp-<version>-linux-<arch>.tar.gz             the same folder + install-user.sh (no root)
#
# Steps (each reuses what an earlier run made under ${JXZP_CACHE:-~/.cache/jxzp}):
#   1. CPython 3.11 for glibc 2.28 (python/build-python.sh) + the hash-checked lock
#      (python/install-lock.sh: PySide6 6.9.3 on x86_64, 6.8.0.2 on aarch64, PyInstaller);
#   2. the fcitx/fcitx5 Qt input-method plugins (fcitx/build-plugins.sh; a warning, not a
#      failure, when they cannot be built: the app then types Chinese through ibus only);
#   3. libxcb-util.so.1 from Debian 11 (Qt's xcb plugin needs it; Debian 10/UOS 20 has only
#      libxcb-util.so.0), pinned by hash; fonts (../collect_fonts.py) and licences;
#   4. PyInstaller with ../jxzp.spec and JXZP_SYSTEM_LIBS=exclude: no library of the build
#      machine goes in (they would need its glibc); bundle_deps.py turns what the bundle
#      needs from outside into the .deb's Depends and fails on a library it does not know;
#      aarch64: PyInstaller runs under qemu-user-static in an arm64 Debian 11 root;
#   5. glibc_check.py --max 2.28 (x86_64) / 2.31 (aarch64) over the whole bundle: fails the
#      build above the limit; then `jxzp --smoke-test` (aarch64: under qemu, in the root);
#   6. the .deb (dpkg-deb --root-owner-group -Zxz) and the .tar.gz.
# --python-prefix DIR uses a Python already made like step 1 (DIR/bin/python3.11 with the lock
# in its site-packages) instead of running step 1. --python PY uses any interpreter with the
# app's packages (development only: the Depends and glibc checks then warn, not fail).
# fcitx/build-plugins.sh needs FCITX5_QT_GIT (a clone of github.com/fcitx/fcitx5-qt) while
# the mirror lacks the fcitx5-qt tarball; without it the last plugins built are used.
set -euo pipefail

ARCH="$(uname -m)"
PY=""
DEV=0
PREFIX_GIVEN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) ARCH="$2"; shift 2 ;;
    --python) PY="$2"; DEV=1; shift 2 ;;
    --python-prefix) PREFIX_GIVEN="$(realpath "$2")"; shift 2 ;;
    *) echo "usage: $0 [--arch x86_64|aarch64] [--python-prefix DIR | --python PY]" >&2; exit 2 ;;
  esac
done
case "$ARCH" in
  x86_64)  DEB_ARCH=amd64; GLIBC_MAX=2.28 ;;
  aarch64) DEB_ARCH=arm64; GLIBC_MAX=2.31 ;;
  *) echo "unknown arch $ARCH" >&2; exit 2 ;;
esac

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${JXZP_CACHE:-$HOME/.cache/jxzp}"
STAGE="$CACHE/pkg-$ARCH"            # inputs and PyInstaller's work folder
OUT="$REPO/dist"
APPID=cn.gov.czj.jxzp
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$REPO/desktop_app/__init__.py")"
ROOT_ARM64="${JXZP_ARM64_ROOT:-$CACHE/roots/pkg-bullseye-arm64}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# libxcb-util1 0.4.0 from Debian 11 (needs GLIBC_2.8 at most); file|sha256 per Debian arch
declare -A XCB_UTIL=(
  [amd64]="libxcb-util1_0.4.0-1+b1_amd64.deb|4c48af51fb2ac1be0490067e7450aeda27bf6c6c395165de02199eee4835336f"
  [arm64]="libxcb-util1_0.4.0-1+b1_arm64.deb|1d5d135c2e5965a7f79e0109da184ca1daff7e1475b69a0481208a7fea0be14e"
)

log() { printf '== [%s %s] %s\n' "$ARCH" "$(date -u +%H:%M:%S)" "$*" >&2; }
warn() { printf '!! [%s] WARNING: %s\n' "$ARCH" "$*" >&2; }
START=$(date +%s)
mkdir -p "$STAGE" "$OUT"

# --- 1. Python ------------------------------------------------------------------------
if [ -z "$PY" ]; then
  PYPREFIX="${PREFIX_GIVEN:-$CACHE/python-$ARCH}"
  if [ -z "$PREFIX_GIVEN" ]; then
    log "Python for old glibc"
    "$HERE/python/build-python.sh" "$ARCH"
    "$HERE/python/install-lock.sh" "$ARCH"
  fi
  PY="$PYPREFIX/bin/python3.11"
  SITE="$PYPREFIX/lib/python3.11/site-packages"
  PY_LICENSE="$PYPREFIX/lib/python3.11/LICENSE.txt"
  [ -d "$SITE/PySide6" ] && [ -d "$SITE/PyInstaller" ] || { echo "no PySide6/PyInstaller in $SITE" >&2; exit 1; }
else
  [ "$ARCH" = "$(uname -m)" ] || { echo "--python only for the build machine's arch" >&2; exit 2; }
  SITE="$("$PY" -c 'import PySide6, pathlib; print(pathlib.Path(PySide6.__file__).parents[1])')"
  PY_LICENSE="$("$PY" -c 'import sys, pathlib; p = pathlib.Path(sys.base_prefix, "lib", f"python{sys.version_info[0]}.{sys.version_info[1]}", "LICENSE.txt"); print(p if p.exists() else "/usr/share/doc/python3/copyright")')"
fi

# --- 2. fcitx plugins -----------------------------------------------------------------
rm -rf "$STAGE/plugins" "$STAGE/qtlibs" "$STAGE/fonts" "$STAGE/licenses" "$STAGE/extra-licenses"
mkdir -p "$STAGE/plugins" "$STAGE/qtlibs" "$STAGE/extra-licenses"
FCITX="$CACHE/fcitx-plugins-$ARCH"
# JXZP_SKIP_FCITX_BUILD=1 takes the plugins the fcitx script built last (no rebuild)
if [ -x "$HERE/fcitx/build-plugins.sh" ] && [ "${JXZP_SKIP_FCITX_BUILD:-0}" != 1 ]; then
  log "fcitx input-method plugins"
  "$HERE/fcitx/build-plugins.sh" "$ARCH" || warn "fcitx/build-plugins.sh $ARCH failed"
fi
if [ -d "$FCITX/platforminputcontexts" ] && ls "$FCITX/platforminputcontexts/"*.so >/dev/null 2>&1; then
  cp -a "$FCITX/platforminputcontexts" "$STAGE/plugins/"
  [ -d "$FCITX/lib" ] && cp -a "$FCITX/lib/." "$STAGE/qtlibs/"
  [ -d "$FCITX/licenses" ] && cp -a "$FCITX/licenses/." "$STAGE/extra-licenses/"
else
  warn "no fcitx plugins in $FCITX: the package types Chinese through ibus only (not fcitx)"
fi

# --- 3. libxcb-util.so.1, fonts, licences ----------------------------------------------
IFS='|' read -r deb sha <<<"${XCB_UTIL[$DEB_ARCH]}"
DL="$CACHE/dl/debian"
mkdir -p "$DL"
if ! echo "$sha  $DL/$deb" | sha256sum -c --status 2>/dev/null; then
  log "fetch $deb"
  curl -fsSL --retry 3 -o "$DL/$deb.part" "$MIRROR/pool/main/x/xcb-util/$deb"
  mv "$DL/$deb.part" "$DL/$deb"
  echo "$sha  $DL/$deb" | sha256sum -c --quiet
fi
rm -rf "$STAGE/xcb-util" && dpkg-deb -x "$DL/$deb" "$STAGE/xcb-util"
cp -L "$STAGE"/xcb-util/usr/lib/*-linux-gnu/libxcb-util.so.1 "$STAGE/qtlibs/"
mkdir -p "$STAGE/extra-licenses/libxcb-util1"
cp "$STAGE/xcb-util/usr/share/doc/libxcb-util1/copyright" "$STAGE/extra-licenses/libxcb-util1/copyright"

log "fonts and licences"
python3 "$REPO/packaging/collect_fonts.py" linux "$STAGE/fonts" >/dev/null
python3 "$HERE/collect_licenses.py" "$SITE" "$PY_LICENSE" "$STAGE/licenses" "$STAGE/extra-licenses" >/dev/null

# --- 4. PyInstaller -------------------------------------------------------------------
DIST="$STAGE/dist"
# JXZP_REUSE_BUNDLE=1 keeps the last PyInstaller output (while working on the steps after it)
[ "${JXZP_REUSE_BUNDLE:-0}" = 1 ] && [ -x "$DIST/jxzp/jxzp" ] || rm -rf "$DIST"
export JXZP_FONTS="$STAGE/fonts" JXZP_LICENSES="$STAGE/licenses" JXZP_QT_LIBS="$STAGE/qtlibs" \
  JXZP_SYSTEM_LIBS=exclude
if [ -d "$STAGE/plugins/platforminputcontexts" ]; then export JXZP_QT_PLUGINS="$STAGE/plugins"; fi
PYI=(-m PyInstaller --noconfirm --clean --log-level WARN --distpath "$DIST" --workpath "$STAGE/work"
     "$REPO/packaging/jxzp.spec")

in_root() { # run a command inside the arm64 root (qemu-user-static), with repo and cache mounted
  local r="$ROOT_ARM64"
  for m in proc dev; do mountpoint -q "$r/$m" || mount --bind "/$m" "$r/$m"; done
  mkdir -p "$r$REPO" "$r$CACHE"
  mountpoint -q "$r$REPO" || mount --bind "$REPO" "$r$REPO"
  mountpoint -q "$r$CACHE" || mount --bind "$CACHE" "$r$CACHE"
  chroot "$r" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    JXZP_FONTS="$JXZP_FONTS" JXZP_LICENSES="$JXZP_LICENSES" JXZP_QT_LIBS="$JXZP_QT_LIBS" \
    JXZP_SYSTEM_LIBS=exclude JXZP_QT_PLUGINS="${JXZP_QT_PLUGINS:-}" QT_QPA_PLATFORM=offscreen "$@"
}
umount_root() {
  local r="$ROOT_ARM64"
  for m in "$r$CACHE" "$r$REPO" "$r/dev" "$r/proc"; do mountpoint -q "$m" && umount "$m" || true; done
}

t0=$(date +%s)
if [ -x "$DIST/jxzp/jxzp" ]; then
  log "PyInstaller: reusing $DIST/jxzp (JXZP_REUSE_BUNDLE=1)"
elif [ "$ARCH" = "$(uname -m)" ]; then
  log "PyInstaller"
  (cd "$REPO" && "$PY" "${PYI[@]}")
else
  [ -x "$ROOT_ARM64/bin/sh" ] || { echo "no arm64 root at $ROOT_ARM64 (debootstrap --variant=minbase --arch=arm64 bullseye $ROOT_ARM64)" >&2; exit 1; }
  [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  trap umount_root EXIT
  log "PyInstaller under qemu in $ROOT_ARM64"
  in_root sh -c "cd '$REPO' && '$PY' ${PYI[*]}"
fi
PYI_SECONDS=$(( $(date +%s) - t0 ))
BUNDLE="$DIST/jxzp"
[ -x "$BUNDLE/jxzp" ] || { echo "PyInstaller made no $BUNDLE/jxzp" >&2; exit 1; }

# --- 5. what the bundle needs: Depends, glibc, smoke test -----------------------------
log "outside libraries → Depends"
python3 "$HERE/bundle_deps.py" --list "$BUNDLE" >"$STAGE/outside-libraries.txt" 2>/dev/null || true
DEPENDS="$(python3 "$HERE/bundle_deps.py" "$BUNDLE")" || [ "$DEV" = 1 ] || exit 1
log "Depends: $DEPENDS"
log "glibc check (--max $GLIBC_MAX)"
if ! python3 "$HERE/glibc_check.py" --max "$GLIBC_MAX" "$BUNDLE" >"$STAGE/glibc-check.txt"; then
  python3 "$HERE/glibc_check.py" --quiet --symbols --max "$GLIBC_MAX" "$BUNDLE" >&2 || true
  echo "the bundle needs a newer glibc than $GLIBC_MAX (see above)" >&2; [ "$DEV" = 1 ] || exit 1
fi
tail -n 1 "$STAGE/glibc-check.txt" >&2
log "smoke test"
t0=$(date +%s)
if [ "$ARCH" = "$(uname -m)" ]; then
  (cd /tmp && QT_QPA_PLATFORM=offscreen "$BUNDLE/jxzp" --smoke-test)
else
  # the root needs what the package Depends on (the network is there while building)
  # package names only: no version constraints, the first of alternatives
  names="$(echo "$DEPENDS" | sed 's/ ([^)]*)//g; s/ | [^,]*//g' | tr -d ',')"
  in_root sh -c "dpkg-query -W $names >/dev/null 2>&1 || \
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      $names; } >/dev/null"
  in_root sh -c "cd /tmp && '$BUNDLE/jxzp' --smoke-test"
fi
SMOKE_SECONDS=$(( $(date +%s) - t0 ))

# --- 6. packages ----------------------------------------------------------------------
PKG="$STAGE/deb"
rm -rf "$PKG"
APPDIR="$PKG/opt/apps/$APPID"
mkdir -p "$APPDIR/entries/applications" "$APPDIR/entries/mime/packages" "$PKG/DEBIAN" \
  "$PKG/usr/bin" "$PKG/usr/share/applications" "$PKG/usr/share/mime/packages"
cp -a "$BUNDLE" "$APPDIR/files"
cat >"$APPDIR/entries/applications/$APPID.desktop" <<EOF
[Desktop Entry]
Type=Application
Name=绩效自评报告编制助手
Name[zh_CN]=绩效自评报告编制助手
GenericName=Performance self-evaluation reports
GenericName[zh_CN]=绩效自评报告
Comment=编制、检查并导出项目支出绩效自评报告
Exec=/opt/apps/$APPID/files/jxzp %f
Icon=$APPID
Terminal=false
Categories=Office;
MimeType=application/x-jxzp;
StartupNotify=true
EOF
cat >"$APPDIR/entries/mime/packages/$APPID.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="application/x-jxzp">
    <comment>Performance self-evaluation report</comment>
    <comment xml:lang="zh_CN">绩效自评报告</comment>
    <icon name="$APPID"/>
    <glob pattern="*.jxzp"/>
  </mime-type>
</mime-info>
EOF
for png in "$REPO"/resources/icons/jxzp-*.png; do
  size="$(basename "$png" .png)"; size="${size#jxzp-}"
  mkdir -p "$APPDIR/entries/icons/hicolor/${size}x$size/apps" "$PKG/usr/share/icons/hicolor/${size}x$size/apps"
  cp "$png" "$APPDIR/entries/icons/hicolor/${size}x$size/apps/$APPID.png"
  ln -s "/opt/apps/$APPID/entries/icons/hicolor/${size}x$size/apps/$APPID.png" \
    "$PKG/usr/share/icons/hicolor/${size}x$size/apps/$APPID.png"
done
cat >"$APPDIR/info" <<EOF
{
  "appid": "$APPID",
  "name": "绩效自评报告编制助手",
  "version": "$VERSION",
  "arch": ["$DEB_ARCH"],
  "permissions": {
    "autostart": false,
    "notification": false,
    "trayicon": false,
    "clipboard": true,
    "account": false,
    "bluetooth": false,
    "camera": false,
    "audio_record": false,
    "installed_apps": false
  },
  "support-plasma-transparent": false
}
EOF
ln -s "/opt/apps/$APPID/files/jxzp" "$PKG/usr/bin/jxzp"
ln -s "/opt/apps/$APPID/entries/applications/$APPID.desktop" "$PKG/usr/share/applications/$APPID.desktop"
ln -s "/opt/apps/$APPID/entries/mime/packages/$APPID.xml" "$PKG/usr/share/mime/packages/$APPID.xml"

# the caches of the freedesktop places, when the tools exist (not in a minimal system)
cat >"$PKG/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
  command -v update-mime-database >/dev/null && update-mime-database /usr/share/mime || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
fi
exit 0
EOF
# Removal never touches the users' data (~/.local/share/jxzp): only the package's files go.
cat >"$PKG/DEBIAN/postrm" <<'EOF'
#!/bin/sh
set -e
case "$1" in
  remove|purge)
    command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
    command -v update-mime-database >/dev/null && update-mime-database /usr/share/mime || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
    ;;
esac
exit 0
EOF
chmod 0755 "$PKG/DEBIAN/postinst" "$PKG/DEBIAN/postrm"
INSTALLED_KB="$(du -sk --apparent-size "$PKG" | cut -f1)"
cat >"$PKG/DEBIAN/control" <<EOF
Package: $APPID
Version: $VERSION
Architecture: $DEB_ARCH
Maintainer: jxzp packaging <jxzp@localhost>
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Recommends: shared-mime-info, desktop-file-utils
Section: utils
Priority: optional
Description: 绩效自评报告编制助手 (performance self-evaluation report assistant)
 Drafts, checks and exports the project-expenditure performance self-evaluation
 report (项目支出绩效自评报告) as a PDF. Self-contained: Python, Qt and fonts are in
 /opt/apps/$APPID/files; nothing is downloaded at install or start.
EOF
DEB="$OUT/${APPID}_${VERSION}_${DEB_ARCH}.deb"
log "dpkg-deb → $DEB"
dpkg-deb --root-owner-group -Zxz --build "$PKG" "$DEB" >/dev/null

TARNAME="jxzp-$VERSION-linux-$ARCH"
TARDIR="$STAGE/tar/$TARNAME"
rm -rf "$STAGE/tar" && mkdir -p "$TARDIR"
cp -a "$APPDIR/." "$TARDIR/"
cp "$HERE/install-user.sh" "$HERE/uninstall-user.sh" "$TARDIR/"
TAR="$OUT/$TARNAME.tar.gz"
log "tar → $TAR"
tar -C "$STAGE/tar" --owner=0 --group=0 -czf "$TAR" "$TARNAME"

size() { du -k --apparent-size "$1" | awk '{printf "%.1f MB", $1/1024}'; }
cat <<EOF | tee "$OUT/build-$ARCH.txt"
arch:            $ARCH ($DEB_ARCH)
deb:             $DEB ($(size "$DEB"))
tar.gz:          $TAR ($(size "$TAR"))
installed:       $(awk "BEGIN{printf \"%.1f MB\", $INSTALLED_KB/1024}")
glibc check:     $(tail -n 1 "$STAGE/glibc-check.txt")
Depends:         $DEPENDS
PyInstaller:     ${PYI_SECONDS} s; smoke test ${SMOKE_SECONDS} s; whole build $(( $(date +%s) - START )) s
EOF
