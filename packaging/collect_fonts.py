"""Copy the fonts the app may bundle, with their licences, into a staging folder.

Only fonts under the SIL Open Font Licence or the Arphic Public Licence are bundled
(never 方正 or Windows fonts): LXGW WenKai (OFL, the last fallback for rare name
characters, on every platform) and, on Linux, AR PL UMing/UKai (Arphic: 宋 and 楷 for
machines without them). Windows has 仿宋/黑体/楷体/宋体 of its own. The files come from
the Debian packages of the build machine (fonts-lxgw-wenkai, fonts-arphic-uming,
fonts-arphic-ukai); the folder is then bundled as ``resources/fonts`` — where
``desktop_app.pdf.fonts`` looks last.

Usage: python packaging/collect_fonts.py linux|windows DEST
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

#: font file → the Debian package whose copyright file carries its licence
FONTS = {
    "linux": {
        Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"): "fonts-lxgw-wenkai",
        Path("/usr/share/fonts/truetype/arphic/uming.ttc"): "fonts-arphic-uming",
        Path("/usr/share/fonts/truetype/arphic/ukai.ttc"): "fonts-arphic-ukai",
    },
    "windows": {
        Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"): "fonts-lxgw-wenkai",
    },
}


def collect(platform: str, dest: Path) -> list[Path]:
    """Copy the fonts of ``platform`` and their licences into ``dest``; returns the fonts."""
    dest.mkdir(parents=True, exist_ok=True)
    copied = []
    for font, package in FONTS[platform].items():
        if not font.is_file():
            raise SystemExit(f"missing {font}: apt-get install {package}")
        shutil.copy2(font, dest / font.name)
        licence = Path("/usr/share/doc") / package / "copyright"
        shutil.copy2(licence, dest / f"{package}.copyright.txt")
        copied.append(dest / font.name)
    return copied


if __name__ == "__main__":
    for path in collect(sys.argv[1], Path(sys.argv[2])):
        print(path)
