#!/usr/bin/env bash
# System packages the app and its tests need on Debian-family systems (Debian, 统信UOS,
# 银河麒麟): Qt's runtime libraries (offscreen and X11), the TrueType CJK fonts the PDF
# embeds, poppler-utils (pdffonts/pdftotext/pdftoppm in tests), strace (the privacy test sees
# sockets opened by C code) and Xvfb for real-window runs.
# Usage: packaging/linux/system-deps.sh [--check]   (--check: exit 1 if anything is missing)
set -euo pipefail
PACKAGES=(
  libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
  xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
  libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0
  fonts-lxgw-wenkai fonts-arphic-uming fonts-arphic-ukai fonts-wqy-microhei
  poppler-utils strace
)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${1:-}" = "--check" ]; then
  [ ${#missing[@]} -eq 0 ] && exit 0
  echo "missing: ${missing[*]}"; exit 1
fi
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
