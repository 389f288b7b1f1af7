#!/bin/bash
# Type 你好 through the aarch64 fcitx plugins inside the aarch64 PySide6 wheel, under qemu-user.
#
#   packaging/linux/fcitx/test-plugins-qemu.sh [IM/KEY ...]     (default: fcitx5/fcitx5 fcitx4/fcitx fcitx5/fcitx fcitx4/fcitx5)
#
# The app itself cannot run in the Debian 11 arm64 root (Python 3.9; the app needs 3.10+), so a
# QLineEdit window stands in for it: Xvfb, D-Bus and the input method run natively on the host
# (fcitx5 installed; fcitx 4 from the root test-input.sh uses), the PySide6 6.8.0.2 aarch64 wheel
# with $JXZP_CACHE/fcitx-plugins-aarch64 on QT_PLUGIN_PATH runs under qemu-aarch64 in
# $ARM_ROOT (made on first use from $JXZP_CACHE/roots/bullseye-arm64 or by debootstrap).
# Prints PASS/FAIL per IM/KEY (KEY = the QT_IM_MODULE given to Qt); exits 1 on any FAIL.
set -uo pipefail

CACHE=${JXZP_CACHE:-$HOME/.cache/jxzp}
ARM_ROOT=${ARM_ROOT:-$CACHE/roots/fcitx-run-bullseye-arm64}
FCITX4_ROOT=${FCITX4_ROOT:-$CACHE/roots/fcitx4-bookworm-amd64}
PLUGINS=$CACHE/fcitx-plugins-aarch64/platforminputcontexts
CASES=${*:-fcitx5/fcitx5 fcitx4/fcitx fcitx5/fcitx fcitx4/fcitx5}
[ -d "$PLUGINS" ] || { echo "build first: packaging/linux/fcitx/build-plugins.sh aarch64" >&2; exit 2; }

[ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
if [ ! -x "$ARM_ROOT/opt/venv/bin/python" ]; then
  if [ ! -d "$ARM_ROOT/usr" ]; then
    if [ -d "$CACHE/roots/bullseye-arm64/usr" ]; then cp -a "$CACHE/roots/bullseye-arm64" "$ARM_ROOT"
    else debootstrap --arch=arm64 --variant=minbase bullseye "$ARM_ROOT" http://deb.debian.org/debian; fi
  fi
  chroot "$ARM_ROOT" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    python3 python3-venv libgl1 libegl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 libxkbcommon0 \
    libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 \
    libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxcb-randr0 libxcb-xfixes0 libxcb-sync1 libxcb-shm0 \
    libxcb-xinerama0 libxrender1 libsm6 libice6 fonts-noto-cjk'
  mkdir -p "$ARM_ROOT/opt/wheels"
  pip download -q --no-deps --only-binary=:all: --platform manylinux_2_31_aarch64 --python-version 3.9 \
    PySide6-Essentials==6.8.0.2 shiboken6==6.8.0.2 -d "$ARM_ROOT/opt/wheels"
  chroot "$ARM_ROOT" sh -c 'python3 -m venv /opt/venv && /opt/venv/bin/pip install -q --no-index /opt/wheels/*.whl'
fi
# libdbus aborts the process without a machine id (a minbase root has none)
[ -s "$ARM_ROOT/etc/machine-id" ] || cp /etc/machine-id "$ARM_ROOT/etc/machine-id"
rm -rf "$ARM_ROOT/opt/imtest" && mkdir -p "$ARM_ROOT/opt/imtest/plugins"
cp -r "$PLUGINS" "$ARM_ROOT/opt/imtest/plugins/"
# fcitx5-qt's plugin too (kept apart in gpl/ unless built with FCITX5_QT_PLUGIN=bundle)
cp "$CACHE"/fcitx-plugins-aarch64/gpl/platforminputcontexts/*.so "$ARM_ROOT/opt/imtest/plugins/platforminputcontexts/" 2>/dev/null
cat > "$ARM_ROOT/opt/imtest/imtest.py" <<'EOF'
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication(sys.argv[:1])
edit = QLineEdit()
edit.setWindowTitle("jxzp-im-test")
edit.resize(400, 40)
edit.show()
def done():
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write(edit.text())
    app.quit()
QTimer.singleShot(int(sys.argv[2]) * 1000, done)
app.exec()
EOF

PIDS=() MOUNTS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -- "-$p" 2>/dev/null; done
  sleep 0.5
  for m in "${MOUNTS[@]}"; do umount -l "$m" 2>/dev/null; done
  PIDS=() MOUNTS=()
}
trap cleanup EXIT
bind() { for m in "${@:2}"; do mountpoint -q "$1/$m" || { mount --bind "/$m" "$1/$m" && MOUNTS+=("$1/$m"); }; done; }
start() { setsid "$@" & PIDS+=($!); }

failed=0
for case in $CASES; do
  IM=${case%/*} KEY=${case#*/}
  T=$(mktemp -d "/tmp/jxzp-qemu-$IM.XXXXXX")
  export HOME=$T/home XDG_CONFIG_HOME=$T/home/.config XDG_RUNTIME_DIR=$T/run LANG=C.UTF-8
  mkdir -p "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
  bind "$ARM_ROOT" tmp proc dev
  for n in $(seq 150 190); do [ -e "/tmp/.X11-unix/X$n" ] || break; done
  export DISPLAY=:$n
  start Xvfb "$DISPLAY" -screen 0 1024x768x24 -nolisten tcp; sleep 1
  start dbus-daemon --session --nofork --print-address=3 3>"$T/bus"; sleep 1
  DBUS_SESSION_BUS_ADDRESS=$(head -1 "$T/bus"); export DBUS_SESSION_BUS_ADDRESS
  activate=""
  if [ "$IM" = fcitx5 ]; then
    mkdir -p "$XDG_CONFIG_HOME/fcitx5"
    printf '[Groups/0]\nName=Default\nDefault Layout=us\nDefaultIM=pinyin\n\n[Groups/0/Items/0]\nName=keyboard-us\nLayout=\n\n[Groups/0/Items/1]\nName=pinyin\nLayout=\n\n[GroupOrder]\n0=Default\n' > "$XDG_CONFIG_HOME/fcitx5/profile"
    printf '[Behavior]\nActiveByDefault=True\nShareInputState=All\n' > "$XDG_CONFIG_HOME/fcitx5/config"
    start fcitx5 --disable=wayland,kimpanel,notificationitem,cloudpinyin > "$T/im.log" 2>&1
  else
    bind "$FCITX4_ROOT" tmp proc
    mkdir -p "$XDG_CONFIG_HOME/fcitx"
    printf '[Profile]\nIMName=pinyin\nEnabledIMList=fcitx-keyboard-us:True,pinyin:True,\n' > "$XDG_CONFIG_HOME/fcitx/profile"
    start chroot "$FCITX4_ROOT" env HOME="$HOME" XDG_CONFIG_HOME="$XDG_CONFIG_HOME" DISPLAY="$DISPLAY" \
      DBUS_SESSION_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS" LANG=C.UTF-8 fcitx -D > "$T/im.log" 2>&1
    activate=ctrl+space
  fi
  sleep 4
  start chroot "$ARM_ROOT" env HOME="$HOME" DISPLAY="$DISPLAY" DBUS_SESSION_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS" \
    QT_PLUGIN_PATH=/opt/imtest/plugins QT_IM_MODULE="$KEY" LANG=C.UTF-8 \
    /opt/venv/bin/python /opt/imtest/imtest.py "$T/out.txt" 30 > "$T/app.log" 2>&1
  win=$(timeout 60 xdotool search --sync --onlyvisible --name jxzp-im-test | head -1)
  if [ -n "$win" ]; then
    sleep 3
    xdotool windowfocus --sync "$win"; xdotool mousemove 200 20 click 1; sleep 2
    [ -z "$activate" ] || { xdotool key $activate; sleep 2; }
    xdotool type --delay 400 nihao; sleep 3; xdotool key space
  fi
  for _ in $(seq 60); do [ -s "$T/out.txt" ] && break; sleep 1; done
  got=$(cat "$T/out.txt" 2>/dev/null)
  if [ "$got" = "你好" ]; then echo "PASS aarch64 $IM via plugin $KEY: '$got'"; rm -rf "$T"
  else echo "FAIL aarch64 $IM via plugin $KEY: '$got' (see $T)"; failed=1; fi
  cleanup
done
exit $failed
