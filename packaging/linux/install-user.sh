#!/bin/sh
# 为当前用户安装（无需管理员权限）：在解压后的文件夹里运行 ./install-user.sh
# Install for the current user, without root: run ./install-user.sh in the unpacked folder.
# It leaves the app where it is and adds, under ~/.local/share: the menu entry, the icons and
# the .jxzp file type (double-clicking a report opens it in the app); ~/.local/bin/jxzp links
# to the program. ./uninstall-user.sh takes exactly these away again (never the reports).
set -eu
APPID=cn.gov.czj.jxzp
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
[ -x "$HERE/files/jxzp" ] || { echo "没有找到 $HERE/files/jxzp：请在解压后的文件夹里运行" >&2; exit 1; }

mkdir -p "$DATA/applications" "$DATA/mime/packages" "$HOME/.local/bin"
# the entry names this folder's program (the packaged one names /opt/apps/…)
sed "s|^Exec=.*|Exec=\"$HERE/files/jxzp\" %f|" "$HERE/entries/applications/$APPID.desktop" \
  >"$DATA/applications/$APPID.desktop"
cp "$HERE/entries/mime/packages/$APPID.xml" "$DATA/mime/packages/$APPID.xml"
for icon in "$HERE"/entries/icons/hicolor/*/apps/$APPID.png; do
  size="$(basename "$(dirname "$(dirname "$icon")")")"
  mkdir -p "$DATA/icons/hicolor/$size/apps"
  cp "$icon" "$DATA/icons/hicolor/$size/apps/$APPID.png"
done
ln -sfn "$HERE/files/jxzp" "$HOME/.local/bin/jxzp"

command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$DATA/mime" || true
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" 2>/dev/null || true
echo "已安装：开始菜单 → 办公 → 绩效自评报告编制助手（程序在 $HERE/files/jxzp）"
