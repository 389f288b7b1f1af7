"""Free fonts dressed as a Chinese Windows' own, for the verify prefix's C:\\Windows\\Fonts.

A Chinese Windows 10/11 has 宋体 and 微软雅黑 as ``.ttc`` collections (simsun.ttc: SimSun +
NSimSun; msyh.ttc: Microsoft YaHei + Microsoft YaHei UI) and 黑体/楷体/仿宋 as ``.ttf``.
Copying free fonts under those file names is not enough: Qt and Wine find a font by the
family names inside it, so each face here also gets the Windows family names (English and
Chinese) in its ``name`` table. Collections stay collections and single fonts stay single
fonts — the ``.ttc``/``.ttf`` difference is what issue 16's box characters hinged on.

Test harness only (never shipped, never in a build). Needs fontTools (verify.sh installs it
into a tool venv under $JXZP_CACHE).

Usage: python verify_fonts.py DEST
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

ARPHIC = Path("/usr/share/fonts/truetype/arphic")
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")

#: Windows file → (source file, [(face index, English family, Chinese family), …])
FONTS = {
    "simsun.ttc": (ARPHIC / "uming.ttc", [(0, "SimSun", "宋体"), (1, "NSimSun", "新宋体")]),
    "msyh.ttc": (WQY, [(0, "Microsoft YaHei", "微软雅黑"), (1, "Microsoft YaHei UI", "Microsoft YaHei UI")]),
    "simhei.ttf": (WQY, [(0, "SimHei", "黑体")]),
    "simkai.ttf": (ARPHIC / "ukai.ttc", [(0, "KaiTi", "楷体")]),
    "simfang.ttf": (WENKAI, [(0, "FangSong", "仿宋")]),
}
#: name IDs that carry a family or font name (family, unique, full, PostScript, typographic…)
NAME_IDS = (1, 3, 4, 6, 16, 17, 18, 21, 22)


def rename(font: TTFont, english: str, chinese: str) -> None:
    """Give ``font`` the family names of a Windows font, dropping every other family name."""
    table = font["name"]
    table.names = [record for record in table.names if record.nameID not in NAME_IDS]
    postscript = english.replace(" ", "")
    for lang, family in ((0x409, english), (0x804, chinese)):
        table.setName(family, 1, 3, 1, lang)
        table.setName(family, 4, 3, 1, lang)
    table.setName(postscript, 6, 3, 1, 0x409)
    table.setName(f"{english} Regular (verify)", 3, 3, 1, 0x409)


def build(dest: Path) -> list[Path]:
    """Write the Windows-named fonts into ``dest``; returns the files written."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (source, faces) in FONTS.items():
        fonts = []
        for index, english, chinese in faces:
            font = TTFont(source, fontNumber=index) if source.suffix == ".ttc" else TTFont(source)
            rename(font, english, chinese)
            fonts.append(font)
        target = dest / name
        if name.endswith(".ttc"):
            collection = TTCollection()
            collection.fonts = fonts
            collection.save(target, shareTables=True)
        else:
            (font,) = fonts
            font.save(target)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1])):
        print(path)
