#!/bin/bash
# Type Chinese into the app with each Linux input method, the way a clerk would.
#
#   packaging/linux/test-input.sh [APP-COMMAND [ARGS...]]
#
# APP-COMMAND defaults to the source checkout's `.venv/bin/python -m desktop_app`; give the
# installed app instead (e.g. /opt/apps/cn.gov.czj.jxzp/files/jxzp, or that folder extracted from the .deb with dpkg-deb -x) to test the frozen bundle.
# `--data-dir TMP` is appended. For each input method in $IMS (default "fcitx5 fcitx4 ibus"):
# Xvfb, a private D-Bus session and the input method with pinyin active are started, with the
# environment such a desktop session exports (QT_IM_MODULE, XMODIFIERS); the app opens, the
# 单位名称 field (first line edit of the 概况 tab) is clicked, its text selected, `nihao` + space
# typed with xdotool, the app quit with Ctrl+Q, and `你好` must be the saved unit name in
# TMP/workspace.jxdb. Prints PASS/FAIL/SKIP per input method; exits 1 on any FAIL.
#
# Needs: Xvfb xdotool dbus-daemon dbus-send python3 and ImageMagick's `import` (to find the field);
# fcitx5 + fcitx5-chinese-addons, ibus + ibus-libpinyin, fcitx + fcitx-pinyin. Debian cannot
# install fcitx 4 beside fcitx5: then fcitx 4 runs from a root made by
#   debootstrap --variant=minbase --include=fcitx,fcitx-pinyin,fcitx-module-dbus,dbus bookworm $FCITX4_ROOT
# (default $JXZP_CACHE/roots/fcitx4-bookworm-amd64; /tmp is bind-mounted into it while it runs).
# KEEP=1 keeps the temporary folders (logs, screenshots before and after typing).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${JXZP_CACHE:-$HOME/.cache/jxzp}
IMS=${IMS:-"fcitx5 fcitx4 ibus"}
FCITX4_ROOT=${FCITX4_ROOT:-$CACHE/roots/fcitx4-bookworm-amd64}
TITLE=绩效自评报告编制助手
if [ $# -gt 0 ]; then APP=("$@"); else APP=("$REPO/.venv/bin/python" -m desktop_app); fi

for tool in Xvfb xdotool dbus-daemon dbus-send python3 import; do
  command -v $tool >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done

PIDS=()
MOUNTED=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null; done
  sleep 0.3
  for pid in "${PIDS[@]}"; do kill -9 -- "-$pid" 2>/dev/null; done
  PIDS=()
  for m in "${MOUNTED[@]}"; do umount -l "$m" 2>/dev/null; done
  MOUNTED=()
}
trap cleanup EXIT
start() {  # start in its own process group, remember it for cleanup
  setsid "$@" & PIDS+=($!)
}
wait_for() {  # seconds command...: poll until the command succeeds
  local t=$1; shift
  for _ in $(seq $((t * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}
bus_has() {  # bus_has NAME-PREFIX
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.ListNames 2>/dev/null | grep -q "string \"$1"
}

# The first line edit under the tab bar: the first white run 16–34 px high in a text-free
# column of the window (the header above it is white too but taller). Prints "X Y".
find_field() {  # window-x window-y width height
  import -window root -depth 8 ppm:- 2>/dev/null | python3 -c '
import sys
wx, wy, w, h = map(int, sys.argv[1:5])
data = sys.stdin.buffer.read()
parts, pos = [], 0
while len(parts) < 4:  # P6 header: magic, width, height, maxval (comments skipped)
    while data[pos:pos + 1].isspace(): pos += 1
    if data[pos:pos + 1] == b"#":
        pos = data.index(b"\n", pos); continue
    end = pos
    while not data[end:end + 1].isspace(): end += 1
    parts.append(data[pos:end]); pos = end
pos += 1
W = int(parts[1]); H = int(parts[2]); pix = data[pos:]
x = wx + int(w * 0.55)  # clear of the header figures and of the field texts
def white(y):
    i = (y * W + x) * 3
    return pix[i] >= 253 and pix[i + 1] >= 253 and pix[i + 2] >= 253  # a line edit is pure white
y = wy
while y < min(H, wy + h):
    if white(y):
        top = y
        while y < H and white(y): y += 1
        if 16 <= y - top <= 34:
            print(x, (top + y) // 2); sys.exit(0)
    y += 1
sys.exit(1)
' "$@"
}

setup_fcitx5() {
  mkdir -p "$XDG_CONFIG_HOME/fcitx5/conf"
  cat > "$XDG_CONFIG_HOME/fcitx5/profile" <<'EOF'
[Groups/0]
Name=Default
Default Layout=us
DefaultIM=pinyin

[Groups/0/Items/0]
Name=keyboard-us
Layout=

[Groups/0/Items/1]
Name=pinyin
Layout=

[GroupOrder]
0=Default
EOF
  printf '[Behavior]\nActiveByDefault=True\nShareInputState=All\n' > "$XDG_CONFIG_HOME/fcitx5/config"
  printf 'CloudPinyinEnabled=False\n' > "$XDG_CONFIG_HOME/fcitx5/conf/pinyin.conf"
  start fcitx5 --disable=wayland,kimpanel,notificationitem,cloudpinyin > "$T/im.log" 2>&1
  wait_for 20 bus_has org.fcitx.Fcitx5
}

setup_fcitx4() {
  mkdir -p "$XDG_CONFIG_HOME/fcitx"
  printf '[Profile]\nIMName=pinyin\nEnabledIMList=fcitx-keyboard-us:True,pinyin:True,\n' > "$XDG_CONFIG_HOME/fcitx/profile"
  if command -v fcitx >/dev/null && fcitx -v 2>&1 | grep -q "fcitx version: 4"; then
    start fcitx -D > "$T/im.log" 2>&1
  elif [ -x "$FCITX4_ROOT/usr/bin/fcitx" ]; then
    for m in tmp proc; do
      mountpoint -q "$FCITX4_ROOT/$m" || { mount --bind "/$m" "$FCITX4_ROOT/$m" && MOUNTED+=("$FCITX4_ROOT/$m"); }
    done
    start chroot "$FCITX4_ROOT" env HOME="$HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" DISPLAY="$DISPLAY" \
      DBUS_SESSION_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS" LANG=C.UTF-8 fcitx -D > "$T/im.log" 2>&1
  else
    return 3
  fi
  wait_for 20 bus_has org.fcitx.Fcitx-
}

setup_ibus() {
  command -v ibus-daemon >/dev/null || return 3
  [ -f /usr/share/ibus/component/libpinyin.xml ] || return 3
  export GSETTINGS_BACKEND=memory
  start ibus-daemon --panel=disable --xim --verbose > "$T/im.log" 2>&1
  # `ibus engine NAME` may exit 1 although it switched: ask again.
  wait_for 20 sh -c 'ls "$XDG_CONFIG_HOME"/ibus/bus/* && { ibus engine libpinyin; ibus engine | grep -qx libpinyin; }'
  # ibus-libpinyin starts in Chinese mode; the global engine applies to new input contexts.
}

run_case() {
  local im=$1 n rc
  T=$(mktemp -d /tmp/jxzp-input-$im.XXXXXX)
  export HOME=$T/home XDG_CONFIG_HOME=$T/home/.config XDG_DATA_HOME=$T/home/.local/share \
    XDG_CACHE_HOME=$T/home/.cache XDG_RUNTIME_DIR=$T/runtime LANG=C.UTF-8 LC_ALL=
  mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR" "$T/data"
  chmod 700 "$XDG_RUNTIME_DIR"
  unset QT_IM_MODULE QT_IM_MODULES XMODIFIERS GTK_IM_MODULE IBUS_USE_PORTAL QT_QPA_PLATFORM GSETTINGS_BACKEND
  for n in $(seq 90 140); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || break; done
  export DISPLAY=:$n
  start Xvfb "$DISPLAY" -screen 0 1280x900x24 -nolisten tcp
  wait_for 10 test -e "/tmp/.X11-unix/X$n" || { echo "FAIL $im: Xvfb did not start"; return 1; }
  start dbus-daemon --session --nofork --print-address=3 3> "$T/bus.addr"
  wait_for 10 test -s "$T/bus.addr" || { echo "FAIL $im: dbus-daemon did not start"; return 1; }
  DBUS_SESSION_BUS_ADDRESS=$(head -1 "$T/bus.addr"); export DBUS_SESSION_BUS_ADDRESS

  local activate=""
  case $im in
    fcitx5) setup_fcitx5; rc=$?; export QT_IM_MODULE=fcitx XMODIFIERS=@im=fcitx GTK_IM_MODULE=fcitx ;;
    fcitx4) setup_fcitx4; rc=$?; export QT_IM_MODULE=fcitx XMODIFIERS=@im=fcitx GTK_IM_MODULE=fcitx
            activate=ctrl+space ;;
    ibus)   setup_ibus; rc=$?; export QT_IM_MODULE=ibus XMODIFIERS=@im=ibus GTK_IM_MODULE=ibus ;;
    *) echo "unknown input method $im" >&2; return 1 ;;
  esac
  if [ $rc = 3 ]; then echo "SKIP $im: not installed"; return 0; fi
  [ $rc = 0 ] || { echo "FAIL $im: the input method did not start (see $T/im.log)"; KEEP=1; return 1; }

  start "${APP[@]}" --data-dir "$T/data" > "$T/app.log" 2>&1
  local app_pid=${PIDS[-1]} win geo X Y WIDTH HEIGHT field
  win=$(timeout 60 xdotool search --sync --onlyvisible --name "$TITLE" | head -1)
  [ -n "$win" ] || { echo "FAIL $im: no window (see $T/app.log)"; KEEP=1; return 1; }
  sleep 2  # first paint, demo report loaded
  eval "$(xdotool getwindowgeometry --shell "$win")"
  field=$(find_field "$X" "$Y" "$WIDTH" "$HEIGHT") || { echo "FAIL $im: 单位名称 field not found"; import -window root "$T/before.png"; KEEP=1; return 1; }
  import -window root "$T/before.png"
  echo "window $win at $X,$Y ${WIDTH}x$HEIGHT; 单位名称 field at $field" > "$T/steps.log"
  xdotool windowfocus --sync "$win" 2>/dev/null  # no window manager: give it the X focus
  xdotool mousemove $field click 1
  sleep 0.5
  xdotool key ctrl+a
  if [ -n "$activate" ]; then xdotool key $activate; sleep 0.5; fi
  xdotool type --delay 150 nihao
  sleep 0.5
  xdotool key space
  sleep 1.5  # every edit reaches SQLite within a second
  import -window root "$T/after.png"
  xdotool key ctrl+q
  for _ in $(seq 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done

  local got
  got=$(python3 - "$T/data/workspace.jxdb" <<'EOF'
import sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print("|".join(row[0] or "" for row in con.execute("SELECT unit_name FROM reports")))
EOF
)
  local chosen
  chosen=$(grep -o "input method: .*" "$T/data/logs/"*.log 2>/dev/null | tail -1)
  if [ "$got" = "你好" ] || [[ "|$got|" == *"|你好|"* ]]; then
    echo "PASS $im: unit name '$got' ${chosen:+($chosen)}"
    return 0
  fi
  echo "FAIL $im: unit name '$got' ${chosen:+($chosen)} — see $T"
  KEEP=1
  return 1
}

failed=0
for im in $IMS; do
  KEEP=${KEEP:-}
  keep_before=$KEEP
  run_case "$im" || failed=1
  cleanup
  [ -n "$KEEP" ] || rm -rf "$T"
  KEEP=$keep_before
done
exit $failed
