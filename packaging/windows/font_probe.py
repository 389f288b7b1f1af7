"""Draw digits and punctuation inside Chinese text with each candidate UI font (diagnostic).

Run by verify.sh under Wine with the Windows Python and the test site-packages, in the verify
prefix whose C:\\Windows\\Fonts holds 宋体/微软雅黑 as .ttc collections: one label and one line
edit per font — Qt's own default (what the app got before it named its font), 微软雅黑 UI and
宋体 (faces of .ttc collections), 黑体 (a single .ttf) — saved as one PNG, plus a line per font
saying whether the family is installed and which one Qt resolved it to.

Test harness only. Usage: python font_probe.py OUT.png
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget

TEXT = "2024年度预算执行率97.26%，第3季度（1–12月）：编号No.15；合计1,234.56元"
CANDIDATES = [None, "Microsoft YaHei UI", "SimSun", "SimHei", "LXGW WenKai"]


def main(out: str) -> int:
    app = QApplication([sys.argv[0]])
    page = QWidget()
    page.setStyleSheet("background: white")
    layout = QVBoxLayout(page)
    default = app.font()
    families = set(QFontDatabase.families())
    for family in CANDIDATES:
        font = QFont(default)
        if family is not None:
            font.setFamilies([family])
        resolved = QFontInfo(font).family()
        name = family or f"Qt default ({default.family()})"
        print(f"{name}: installed={family is None or family in families} resolved={resolved!r}")
        label = QLabel(f"{name} → {resolved}：{TEXT}")
        label.setFont(font)
        edit = QLineEdit(TEXT)
        edit.setFont(font)
        layout.addWidget(label)
        layout.addWidget(edit)
    page.resize(1100, 40 * 2 * len(CANDIDATES))
    return 0 if page.grab().save(out) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
