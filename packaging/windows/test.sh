#!/usr/bin/env bash
# The test suite under the real Windows CPython 3.13 in Wine, Chinese locale (code page 936).
#
#   packaging/windows/test.sh                 # the whole suite (~3.5 min on 2 cores)
#   packaging/windows/test.sh tests/unit -k paths   # pytest arguments as usual
#   packaging/windows/test.sh --ci            # the CI check: unit + storage tests, timed;
#                                             # installs Wine, the Windows Python and wheels
#                                             # on a cold machine (cached in $JXZP_CACHE)
#
# The environment comes from pyenv.sh (test site only). Runs under xvfb-run: Qt's Windows
# platform plugin needs a window station even for offscreen widgets.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

ci=0
if [ "${1:-}" = "--ci" ]; then
  ci=1
  shift
fi
start=$(date +%s)

if [ -z "${_JXZP_WIN_IN_XVFB:-}" ]; then
  # Prepare (and install on a cold machine) before Xvfb starts, so its output is plain.
  JXZP_WIN_SETS="${JXZP_WIN_SETS:-test}" bash -c "source '$here/pyenv.sh'" || exit 1
  export _JXZP_WIN_IN_XVFB=1 _JXZP_WIN_START="$start"
  exec xvfb-run -a -s "-screen 0 1366x768x24 -nolisten tcp" "$0" $([ $ci = 1 ] && echo --ci) "$@"
fi
start="${_JXZP_WIN_START:-$start}"

export JXZP_WIN_SETS="${JXZP_WIN_SETS:-test}"
# shellcheck source=pyenv.sh
source "$here/pyenv.sh"

# Windows-named fonts in the test prefix's C:\Windows\Fonts: font discovery and the PDF tests
# need Chinese fonts, and on Windows no Linux folder is searched. Each role gets the file it
# gets in the Linux runs (宋 uming for body and numbers, 黑 WenQuanYi for titles, 楷 LXGW
# WenKai), under the name Windows gives that role's font, so layouts match the Linux runs.
fonts="$WINEPREFIX/drive_c/windows/Fonts"
mkdir -p "$fonts"
link_font() {  # SOURCE NAME
  if [ -f "$1" ]; then ln -sfn "$1" "$fonts/$2"; else rm -f "$fonts/$2"; fi
}
debian=/usr/share/fonts/truetype
link_font $debian/arphic/uming.ttc simsun.ttc
link_font $debian/arphic/uming.ttc simfang.ttf
link_font $debian/wqy/wqy-microhei.ttc simhei.ttf
link_font $debian/lxgw-wenkai/LXGWWenKai-Regular.ttf simkai.ttf
link_font $debian/lxgw-wenkai/LXGWWenKai-Regular.ttf LXGWWenKai-Regular.ttf
link_font $debian/dejavu/DejaVuSans.ttf DejaVuSans.ttf

# The unit tests and the storage-related end-to-end files that take seconds, not minutes.
CI_TESTS=(tests/unit tests/e2e/test_durability.py tests/e2e/test_file_situations.py tests/e2e/test_fuzz_files.py)

args=(-p no:cacheprovider)
if [ $ci = 1 ]; then
  args+=(-q "${CI_TESTS[@]}" "$@")
else
  args+=("$@")
fi
status=0
winpy -m pytest "${args[@]}" || status=$?
echo "== Windows tests (Wine, CPython 3.13, code page 936): exit $status in $(( $(date +%s) - start )) s"
exit $status
