#!/bin/sh
# 取消 install-user.sh 所做的登记（菜单项、图标、文件类型、~/.local/bin/jxzp）。
# 报告和数据（~/.local/share/jxzp）保持不动；程序文件夹可随后自行删除。
# Undo install-user.sh: menu entry, icons, file type, ~/.local/bin/jxzp. The user's reports
# and data (~/.local/share/jxzp) stay; delete the unpacked folder yourself afterwards.
set -eu
APPID=cn.gov.czj.jxzp
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
rm -f "$DATA/applications/$APPID.desktop" "$DATA/mime/packages/$APPID.xml" \
  "$DATA"/icons/hicolor/*/apps/$APPID.png
[ -L "$HOME/.local/bin/jxzp" ] && rm -f "$HOME/.local/bin/jxzp"
command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$DATA/mime" || true
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" 2>/dev/null || true
echo "已取消登记；数据文件夹 $DATA/jxzp 未改动"
