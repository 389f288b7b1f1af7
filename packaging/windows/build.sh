#!/usr/bin/env bash
# Build the Windows app on this Debian machine: PyInstaller under Wine with the real Windows
# CPython and wheels (packaging/windows/pyenv.sh), then NSIS.
#
#   packaging/windows/build.sh   → dist/jxzp-<version>-win64-setup.exe
#                                  dist/jxzp-<version>-win64-portable.zip
#
# Nothing of Wine ships: the build Python runs with the harness on its path (PyInstaller itself
# calls platform.*), but the spec excludes `sitecustomize`, the icuuc.dll stand-in lives in the
# build prefix's system32 (PyInstaller never collects system DLLs), and the shipped folder is
# checked for all three before it is packed. The frozen app needs no Wine runtime hook either:
# its one platform.* call (the workspace lock's host name) is socket.gethostname() now.
# Big intermediate files: $JXZP_CACHE/windows/build.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
command -v makensis >/dev/null || { echo "build.sh: makensis missing (apt-get install nsis)" >&2; exit 1; }
command -v zip >/dev/null || { echo "build.sh: zip missing (apt-get install zip)" >&2; exit 1; }

started=$SECONDS
export JXZP_CACHE="${JXZP_CACHE:-$HOME/.cache/jxzp}"
# A prefix of its own, so a build never disturbs a test run in the shared test prefix.
export WINEPREFIX="${JXZP_BUILD_PREFIX:-$JXZP_CACHE/wine/prefix-build}"
export JXZP_WIN_SETS="${JXZP_WIN_SETS:-build}"
# shellcheck source=packaging/windows/pyenv.sh
source packaging/windows/pyenv.sh
linux_python="${JXZP_LINUX_PYTHON:-$root/.venv/bin/python}"
[ -x "$linux_python" ] || linux_python=python3

version="$("$linux_python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
work="$JXZP_CACHE/windows/build"
stage="$work/stage"
out="$root/dist"
name="jxzp-$version-win64"
log() { printf '== build: %s (%ds)\n' "$*" "$((SECONDS - started))" >&2; }

rm -rf "$work/fonts" "$work/licenses" "$stage"
mkdir -p "$work" "$stage" "$out"
log "fonts and licences"
"$linux_python" packaging/collect_fonts.py windows "$work/fonts" >/dev/null
"$linux_python" packaging/windows/collect_licenses.py "$WIN_SITE_BUILD" "$(dirname "$WINPY")" "$work/licenses" >/dev/null

pyinstaller() {  # DISTPATH WORKPATH [extra env…]
  local dist="$1" workpath="$2"; shift 2
  env JXZP_FONTS="$(_jxzp_winpath "$work/fonts")" JXZP_LICENSES="$(_jxzp_winpath "$work/licenses")" "$@" \
    bash -c 'source packaging/windows/pyenv.sh && winpy_build -m PyInstaller --noconfirm --clean --log-level WARN \
      --distpath "$0" --workpath "$1" packaging/jxzp.spec' "$(_jxzp_winpath "$dist")" "$(_jxzp_winpath "$workpath")"
}

log "PyInstaller under Wine"
pyinstaller "$stage" "$work/pyi" JXZP_RUNTIME_HOOKS=
app="$stage/jxzp"
[ -f "$app/jxzp.exe" ] && [ -f "$app/jxzp-cli.exe" ] || { echo "build.sh: no jxzp.exe in $app" >&2; exit 1; }

# -- nothing of Wine in what ships -------------------------------------------------------------
leaks="$(cd "$app" && find . -iname 'icuuc*.dll' -o -iname 'sitecustomize*' -o -iname '*wine*' | sed 's|^\./||')"
if [ -n "$leaks" ]; then
  echo "build.sh: Wine test files in the shipped folder:" >&2
  echo "$leaks" >&2
  exit 1
fi
if grep -rlaq "platform._wmi = None" "$app" 2>/dev/null; then
  echo "build.sh: the Wine runtime hook is in the shipped folder" >&2
  exit 1
fi

# -- what must be there: the licences and the bundled font ------------------------------------
for needed in _internal/licenses/Python-LICENSE.txt _internal/licenses/Qt-NOTICE.txt \
              _internal/licenses/LGPL-3.0.txt _internal/resources/fonts/LXGWWenKai-Regular.ttf \
              _internal/PySide6/translations/qtbase_zh_CN.qm; do
  [ -f "$app/$needed" ] || { echo "build.sh: $needed is missing from the folder" >&2; exit 1; }
done

# -- sizes ------------------------------------------------------------------------------------
log "the biggest files of the folder"
# (awk reads to the end: `head` would leave sort writing into a closed pipe, and pipefail fails)
(cd "$app" && find . -type f -printf '%s %P\n' | sort -rn | awk 'NR <= 15 { printf "   %6.1f MB  %s\n", $1/1048576, $2 }')
installed_kb="$(du -sk --apparent-size "$app" | cut -f1)"

# -- portable zip -----------------------------------------------------------------------------
log "portable zip"
rm -f "$out/$name-portable.zip"
(cd "$stage" && zip -q -r -9 -X "$out/$name-portable.zip" jxzp)

# -- installer --------------------------------------------------------------------------------
log "makensis"
makensis -V2 -INPUTCHARSET UTF8 \
  -DVERSION="$version" -DAPPDIR="$app" -DOUTFILE="$out/$name-setup.exe" \
  -DICON="$root/resources/icons/jxzp.ico" -DINSTALLED_KB="$installed_kb" \
  packaging/windows/installer.nsi

log "done"
mb() { awk -v b="$1" 'BEGIN { printf "%6.1f MB", b / 1048576 }'; }
echo "   installer  $(mb "$(stat -c %s "$out/$name-setup.exe")")  dist/$name-setup.exe"
echo "   zip        $(mb "$(stat -c %s "$out/$name-portable.zip")")  dist/$name-portable.zip"
echo "   installed  $(mb "$((installed_kb * 1024))")  ($(find "$app" -type f | wc -l) files)"
echo "   build time $((SECONDS - started)) s"
