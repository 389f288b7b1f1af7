"""Draw the app icon (a red seal with 绩) as PNGs and a Windows .ico; run once, commit the output.

The glyph is drawn from LXGW WenKai (SIL OFL: pictures made with the font are free to
use). Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py
Writes resources/icons/jxzp-{16…256}.png and jxzp.ico.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPen

SIZES = (16, 24, 32, 48, 64, 128, 256)
FONT = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Bold.ttf"
OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw(size: int, family: str) -> QImage:
    """The icon at ``size`` pixels: a rounded red square, a white inner frame, 绩."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    margin = size * 0.04
    box = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#c0262d"))
    painter.drawRoundedRect(box, size * 0.16, size * 0.16)
    if size >= 32:
        inner = box.adjusted(size * 0.08, size * 0.08, -size * 0.08, -size * 0.08)
        painter.setPen(QPen(QColor(255, 255, 255, 220), max(1.0, size * 0.025)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(inner, size * 0.08, size * 0.08)
    font = QFont(family)
    font.setPixelSize(round(size * (0.62 if size >= 32 else 0.8)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "绩")
    painter.end()
    return image


def main() -> None:
    app = QGuiApplication([])
    family = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(FONT))[0]
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        draw(size, family).save(str(OUT / f"jxzp-{size}.png"))
    big = Image.open(OUT / "jxzp-256.png")
    big.save(OUT / "jxzp.ico", sizes=[(s, s) for s in SIZES])
    del app


if __name__ == "__main__":
    main()
