#!/usr/bin/env bash
# Install the built Windows app into a FRESH Wine prefix that looks like a Chinese Windows 10,
# use it as a clerk would, and uninstall it.
#
#   packaging/windows/verify.sh [dist/jxzp-<version>-win64-setup.exe]
#
# The prefix: Windows 10, LC_ALL=zh_CN.UTF-8 (code page 936), and a C:\Windows\Fonts holding
# only Windows font names — 宋体 and 微软雅黑 as .ttc collections, 黑体/楷体/仿宋 as .ttf, made
# from free fonts by verify_fonts.py. No Linux font is visible: the whole run happens in a
# private mount namespace (unshare -m) where /usr/share/fonts, /usr/local/share/fonts and
# ~/.fonts are covered by empty tmpfs mounts, so neither Wine (which asks fontconfig) nor the
# app (which under Wine could read Z:\usr\share\fonts) can find one. Only Wine's own
# replacements of the Windows core fonts (/usr/share/wine/fonts: Tahoma, …) stay.
# Test harness in the prefix only: the icuuc.dll stand-in in system32 (Wine lacks icuuc.dll).
#
# Steps: silent install (/S) → registry (association, uninstall entry) → jxzp-cli --smoke-test →
# the window under Xvfb at 1366×768 (time to a shown window; dist/verify/window.png) → a .jxzp
# opened through the association (dist/verify/opened.png) → render --demo + pdffonts → silent
# uninstall → only the user's data folder is left. Exit 0 when every step passed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export JXZP_CACHE="${JXZP_CACHE:-$HOME/.cache/jxzp}"

if [ -z "${JXZP_VERIFY_NS:-}" ]; then
  # Re-run inside a private mount namespace, where the Linux fonts can be hidden.
  exec unshare --mount --propagation private env JXZP_VERIFY_NS=1 "$0" "$@"
fi

version="$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
setup="$(realpath "${1:-dist/jxzp-$version-win64-setup.exe}")"
[ -f "$setup" ] || { echo "verify.sh: no installer $setup (run packaging/windows/build.sh)" >&2; exit 1; }
out="$root/dist/verify"
rm -rf "$out"
mkdir -p "$out"
started=$SECONDS
failures=0
log() { printf '== verify: %s (%ds)\n' "$*" "$((SECONDS - started))" >&2; }
ok() { printf 'ok    %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*"; failures=$((failures + 1)); }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }

# -- tools: fontTools (verify_fonts.py), the icuuc stand-in (pyenv.sh builds it) ---------------
tools="$JXZP_CACHE/tools/verify-venv"
if ! "$tools/bin/python" -c "import fontTools" 2>/dev/null; then
  log "installing fontTools into $tools"
  python3 -m venv "$tools"
  "$tools/bin/pip" install -q "fonttools==4.68.0"
fi
JXZP_WIN_SETS=test WINEPREFIX="$JXZP_CACHE/wine/prefix-test" packaging/windows/pyenv.sh >/dev/null
icuuc="$JXZP_CACHE/windows/harness/icuuc.dll"
fonts_src="$JXZP_CACHE/windows/verify-fonts"
"$tools/bin/python" packaging/windows/verify_fonts.py "$fonts_src" >/dev/null
demo_jxzp="$out/双击打开 2024.jxzp"
# A report file as a clerk receives one: the demo, exported by the Linux dev environment.
"${JXZP_LINUX_PYTHON:-$root/.venv/bin/python}" - "$demo_jxzp" <<'EOF'
import sys, tempfile
from dataclasses import replace
from pathlib import Path
from desktop_app.demo import load_demo
from desktop_app.storage import Workspace
report = load_demo()
report = replace(report, header=replace(report.header, project_name="双击打开的项目"))
with tempfile.TemporaryDirectory() as tmp, Workspace.open(Path(tmp) / "w.jxdb") as workspace:
    workspace.save(report)
    workspace.export_file(report.report_id, Path(sys.argv[1]))
EOF

# -- hide every Linux font ---------------------------------------------------------------------
for folder in /usr/share/fonts /usr/local/share/fonts "$HOME/.fonts" "$HOME/.local/share/fonts"; do
  [ -d "$folder" ] && mount -t tmpfs -o size=1m jxzp-no-fonts "$folder"
done
export XDG_CACHE_HOME="$out/xdg-cache"  # a fontconfig cache of its own, naming no Linux font
fc_left="$(fc-list 2>/dev/null | grep -v '/usr/share/wine/' | wc -l || true)"
[ "$fc_left" = 0 ] && ok "no Linux font visible (fc-list: only Wine's own)" || fail "fc-list still lists $fc_left Linux fonts"

# -- a fresh prefix ------------------------------------------------------------------------------
export WINEPREFIX="$JXZP_CACHE/wine/prefix-verify"
export WINEDEBUG=-all WINEDLLOVERRIDES="winedbg.exe=d;mscoree,mshtml=" WINEARCH=win64 LC_ALL=zh_CN.UTF-8
wineserver -k 2>/dev/null || true
rm -rf "$WINEPREFIX"
mkdir -p "$WINEPREFIX"
wine() { command wine "$@" </dev/null 2> >(grep -v -e '^$' -e 'fixme' >&2) | cat; return "${PIPESTATUS[0]}"; }
winepath_w() { printf 'Z:%s' "${1//\//\\}"; }
log "fresh Wine prefix (Windows 10, zh_CN.UTF-8)"
wine wineboot -i >/dev/null
wineserver -w
drive_c="$WINEPREFIX/drive_c"
user_home="$(find "$drive_c/users" -mindepth 1 -maxdepth 1 -type d ! -name Public | awk 'NR == 1')"
local_appdata="$user_home/AppData/Local"
instdir="$local_appdata/Programs/绩效自评报告编制助手"
datadir="$local_appdata/jxzp"

# A fresh prefix is Windows 7 (build 7601): the installer must refuse it, and install nothing.
log "the installer on Windows 7"
set +e
wine "$setup" /S; rc=$?
set -e
wineserver -w
[ "$rc" = 3 ] && [ ! -e "$instdir" ] && ok "Windows 7 refused (exit 3, nothing installed)" \
  || fail "on Windows 7 the installer exited $rc$([ -e "$instdir" ] && echo ' and installed')"
wine winecfg /v win10 >/dev/null
wineserver -w
build_number="$(wine reg query 'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion' /v CurrentBuildNumber | tr -d '\r' | awk '$1 == "CurrentBuildNumber" { print $3 }')"
ok "prefix set to Windows 10 (build $build_number)"
cp "$icuuc" "$drive_c/windows/system32/icuuc.dll"
fontdir="$drive_c/windows/Fonts"
mkdir -p "$fontdir"
find "$fontdir" -maxdepth 1 -type f -delete
cp "$fonts_src"/* "$fontdir/"
# Register them as Windows does (the Fonts key), so GDI and DirectWrite enumerate them at once.
for f in "$fonts_src"/*; do
  name="$(basename "$f")"
  wine reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\Fonts' /v "$name (TrueType)" /d "$name" /f >/dev/null
done
ok "C:\\Windows\\Fonts: $(cd "$fontdir" && ls | tr '\n' ' ')"
# -- install ----------------------------------------------------------------------------------------
log "silent install"
t0=$SECONDS
wine "$setup" /S && wineserver -w
[ -f "$instdir/jxzp.exe" ] && [ -f "$instdir/jxzp-cli.exe" ] && [ -f "$instdir/uninstall.exe" ] \
  && ok "installed per user into %LOCALAPPDATA%\\Programs\\绩效自评报告编制助手 ($((SECONDS - t0)) s)" \
  || fail "no jxzp.exe in $instdir"
installed_bytes="$(du -sb "$instdir" 2>/dev/null | cut -f1 || echo 0)"
# reg.exe writes in the console's code page (936 = GBK here): decode before comparing.
reg_value() { { wine reg query "$1" /v "$2" 2>/dev/null || true; } | iconv -f gbk -t utf-8 -c | tr -d '\r' | awk -v k="$2" '$1 == k { $1 = ""; $2 = ""; sub(/^ +/, ""); print }'; }
reg_default() { { wine reg query "$1" /ve 2>/dev/null || true; } | iconv -f gbk -t utf-8 -c | tr -d '\r' | awk 'NR > 1 && NF >= 3 { $1 = ""; $2 = ""; sub(/^ +/, ""); print; exit }'; }
[ "$(reg_default 'HKCU\Software\Classes\.jxzp')" = "jxzp.report" ] && ok ".jxzp → jxzp.report (HKCU)" || fail ".jxzp association missing"
command_line="$(reg_default 'HKCU\Software\Classes\jxzp.report\shell\open\command')"
case "$command_line" in *'jxzp.exe" "%1"') ok "open command: $command_line" ;; *) fail "open command: $command_line" ;; esac
uninstall_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\jxzp'
[ "$(reg_value "$uninstall_key" DisplayVersion)" = "$version" ] && [ -n "$(reg_value "$uninstall_key" DisplayIcon)" ] \
  && ok "uninstall entry: $(reg_value "$uninstall_key" DisplayName) $version, $(( $(reg_value "$uninstall_key" EstimatedSize) )) KB" \
  || fail "no uninstall entry"
shortcut="$(find "$user_home" -path '*Start Menu*' -name '绩效自评报告编制助手.lnk' | awk 'NR == 1')"
[ -n "$shortcut" ] && ok "Start-menu shortcut" || fail "no Start-menu shortcut"

# -- an X server at 1366×768 ----------------------------------------------------------------------
display=":$((90 + RANDOM % 9))"
Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'wineserver -k 2>/dev/null || true; kill $xvfb 2>/dev/null || true' EXIT
export DISPLAY="$display"
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

# -- smoke test -------------------------------------------------------------------------------------
log "jxzp-cli.exe --smoke-test"
if wine "$instdir/jxzp-cli.exe" --smoke-test > "$out/smoke.txt" 2>&1; then
  ok "smoke test: $(grep -c '^ok ' "$out/smoke.txt") steps ok"
else
  fail "smoke test (dist/verify/smoke.txt):"; sed 's/^/      /' "$out/smoke.txt"
fi

# -- diagnostic: digits inside Chinese text, per candidate UI font (issue 16's boxes) --------------
log "font probe (Windows Python, test site)"
if PYTHONIOENCODING=utf-8 PYTHONPATH="$(winepath_w "$JXZP_CACHE/windows/site-test")" command wine "$JXZP_CACHE/windows/cp313/python.exe" \
     "$(winepath_w "$root/packaging/windows/font_probe.py")" "$(winepath_w "$out/font-probe.png")" \
     </dev/null 2>&1 | cat > "$out/font-probe.txt"; then
  ok "font probe: dist/verify/font-probe.png"; sed 's/^/      /' "$out/font-probe.txt"
else
  echo "note  font probe did not run (dist/verify/font-probe.txt)"
fi

wait_window() {  # NAME-PATTERN TIMEOUT-S → prints the window id once it is mapped
  local end=$((SECONDS + $2)) id
  while [ $SECONDS -lt $end ]; do
    id="$(xdotool search --onlyvisible --name "$1" 2>/dev/null | awk 'NR == 1' || true)"
    [ -n "$id" ] && { echo "$id"; return 0; }
    sleep 0.1
  done
  return 1
}
close_app() {  # [PID]: WM_CLOSE to the app's windows (it saves and releases its workspace)
  command wine taskkill /im jxzp.exe >/dev/null 2>&1 </dev/null || true
  for _ in $(seq 150); do
    if [ -n "${1:-}" ]; then kill -0 "$1" 2>/dev/null || break
    else xdotool search --name "$WINDOW_NAMES" >/dev/null 2>&1 || break; fi
    sleep 0.1
  done
  if [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; then
    echo "note  the app did not close on WM_CLOSE within 15 s; stopped" >&2
    kill "$1" 2>/dev/null || true
  fi
  # Then every Wine process of this prefix (a dialog left open would keep it alive forever).
  timeout 20 wineserver -w || wineserver -k
}
WINDOW_NAMES='绩效自评|招商引资|双击打开'

# -- the window -------------------------------------------------------------------------------------
log "the window at 1366x768"
timeout 30 wineserver -w || wineserver -k  # start from a settled prefix, as a logged-in desktop is
t0="$(date +%s.%N)"
# Through a pipe, never a file: Wine gives a redirected regular file to a Windows program as an
# invalid handle, and Python then stops with "Failed to start embedded python interpreter".
command wine "$instdir/jxzp.exe" </dev/null > >(cat >"$out/window.log") 2>&1 &
app_pid=$!
if id="$(wait_window '绩效自评|招商引资' 60)"; then
  shown="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
  ok "window shown after $shown s (first start: creates %LOCALAPPDATA%\\jxzp with the demo)"
  xdotool windowsize "$id" 1366 768 windowmove "$id" 0 0 2>/dev/null || true
  sleep 3
  import -window root "$out/window.png"
  ok "screenshot dist/verify/window.png"
else
  shown="-"
  fail "no window within 60 s (dist/verify/window.log)"
  import -window root "$out/window.png" || true
fi
close_app "$app_pid"
[ -f "$datadir/workspace.jxdb" ] && ok "user data in %LOCALAPPDATA%\\jxzp" || fail "no workspace in $datadir"

# A second start, warm (what a clerk sees every morning after the first day).
t0="$(date +%s.%N)"
command wine "$instdir/jxzp.exe" </dev/null > >(cat >>"$out/window.log") 2>&1 &
app_pid=$!
if wait_window '绩效自评|招商引资' 60 >/dev/null; then
  warm="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
  ok "second start: window shown after $warm s"
else
  warm="-"; fail "no window on the second start"
fi
close_app "$app_pid"

# -- a .jxzp through the association ----------------------------------------------------------
log "open a .jxzp through the association"
# Windows' HKEY_CLASSES_ROOT is HKLM\Software\Classes merged with the user's
# HKCU\Software\Classes, where a per-user install registers; Wine 8's HKCR lacks the user's half,
# so its ShellExecute cannot see the association. Test harness: mirror the installer's per-user
# keys, exactly as written, into HKLM\Software\Classes of this prefix, then let the shell open it.
progid="$(reg_default 'HKCU\Software\Classes\.jxzp')"
for key in ".jxzp" "$progid" "$progid\DefaultIcon" "$progid\shell\open\command"; do
  value="$(reg_default "HKCU\\Software\\Classes\\$key")"
  wine reg add "HKLM\\Software\\Classes\\$key" /ve /d "$value" /f >/dev/null || echo "note  cannot mirror $key"
done
# In the background: the app inherits start's output, so a pipe would stay open until it exits.
command wine start /unix "$demo_jxzp" </dev/null > >(cat >"$out/open.log") 2>&1 &
if id="$(wait_window '双击打开的项目' 60)"; then
  sleep 2
  import -window root "$out/opened.png"
  ok "double-click opened the report: window \"$(xdotool getwindowname "$id")\" (dist/verify/opened.png)"
else
  fail "the .jxzp did not open through the association (dist/verify/open.log)"
  import -window root "$out/opened.png" || true
fi
close_app

for key in ".jxzp" "$progid"; do wine reg delete "HKLM\\Software\\Classes\\$key" /f >/dev/null 2>&1 || true; done

# -- the PDF -----------------------------------------------------------------------------------------
log "render --demo and check the fonts"
pdf_w='C:\users\Public\demo.pdf'
if wine "$instdir/jxzp-cli.exe" render --demo -o "$pdf_w" > "$out/render.txt" 2>&1 \
   && cp "$drive_c/users/Public/demo.pdf" "$out/demo.pdf"; then
  pdffonts "$out/demo.pdf" > "$out/pdffonts.txt"
  not_embedded="$(awk 'NR > 2 && $(NF-4) != "yes"' "$out/pdffonts.txt")"
  [ -z "$not_embedded" ] && ok "PDF: every font embedded: $(awk 'NR > 2 { print $1 }' "$out/pdffonts.txt" | sed 's/^[A-Z]*+//' | sort -u | tr '\n' ' ')" \
    || fail "PDF fonts not embedded: $not_embedded"
else
  fail "render --demo (dist/verify/render.txt)"; sed 's/^/      /' "$out/render.txt"
fi

# -- uninstall ------------------------------------------------------------------------------------------
log "silent uninstall"
wine "$instdir/uninstall.exe" /S && sleep 2 && wineserver -w
[ ! -e "$instdir" ] && ok "program folder removed" || fail "left behind: $(find "$instdir" | awk 'NR <= 5')"
[ -z "$(find "$user_home" -path '*Start Menu*' -name '绩效自评报告编制助手.lnk')" ] && ok "shortcut removed" || fail "shortcut left"
wine reg query 'HKCU\Software\Classes\.jxzp' >/dev/null 2>&1 && fail "association left" || ok "association removed"
wine reg query 'HKCU\Software\Classes\jxzp.report' >/dev/null 2>&1 && fail "ProgID left" || ok "ProgID removed"
wine reg query "$uninstall_key" >/dev/null 2>&1 && fail "uninstall entry left" || ok "uninstall entry removed"
[ -f "$datadir/workspace.jxdb" ] && ok "the user's data folder is kept: $(cd "$datadir" && ls | tr '\n' ' ')" || fail "user data gone"
left="$(cd "$local_appdata" && find . -mindepth 1 -maxdepth 1 ! -name jxzp ! -name Temp ! -name Microsoft | sed 's|^\./||' | tr '\n' ' ')"
[ -z "$left" ] || [ "$left" = "Programs " ] && [ -z "$(ls -A "$local_appdata/Programs" 2>/dev/null)" ] \
  && ok "nothing else of the app in %LOCALAPPDATA%" || fail "left in %LOCALAPPDATA%: $left"

echo
echo "installer  $(mb "$(stat -c %s "$setup")")  $(basename "$setup")"
echo "installed  $(mb "$installed_bytes")"
echo "window     first start $shown s, second start $warm s (Wine, Xvfb, 2 shared cores)"
echo "time       $((SECONDS - started)) s"
if [ "$failures" -gt 0 ]; then
  echo "verify: $failures step(s) FAILED"
  exit 1
fi
echo "verify passed"
