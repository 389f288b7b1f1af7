"""Which font family the window's text uses, per system (stdlib only; Qt applies it in app.py).

On Linux the desktop's own choice (fontconfig) stays: it already matches the user's desktop.

On Windows the UI font is chosen explicitly. Left to itself Qt takes the system message font
and, for every character that font lacks, walks a fallback list of its own; inside Chinese
text the digits and punctuation then come from a different font (and engine) than the Han
characters around them. The frozen app under Wine drew exactly those characters as boxes
while ``.ttc`` collections were installed (issue 16). Naming one family that covers Han, Latin
digits and CJK punctuation alike — 微软雅黑 UI, the Windows 10/11 Chinese UI font, then 宋体 —
makes a whole label come from one font, so no fallback happens for ordinary text. The
bundled LXGW WenKai (OFL, ``resources/fonts``) comes last: it covers rare name characters
and is the UI font of a Windows that has neither (an English Windows without the Chinese
supplemental fonts).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

#: Full-coverage Chinese UI families of Windows, best first (English and Chinese names:
#: Qt knows a family by both).
WINDOWS_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "微软雅黑", "SimSun", "宋体")
#: The family of the font packaging bundles (packaging/collect_fonts.py).
BUNDLED_FAMILY = "LXGW WenKai"


def chooses_ui_font(platform: str | None = None) -> bool:
    """True where the app names its UI font itself (Windows), False where the system's stays."""
    return (sys.platform if platform is None else platform).startswith("win")


def ui_font_families(installed: Iterable[str], platform: str | None = None) -> list[str]:
    """The families the UI font should name, best first; empty keeps the system's font.

    Args:
        installed: the family names the font database knows (Qt's ``QFontDatabase.families()``,
            including application fonts registered from ``resources/fonts``).
        platform: ``sys.platform`` of the system asked about (default: this one).

    Returns:
        On Windows the installed ones of :data:`WINDOWS_FAMILIES` (one name per font, as the
        database spells it), then :data:`BUNDLED_FAMILY` if installed; on any other system [].
    """
    if not chooses_ui_font(platform):
        return []
    known = {name.casefold(): name for name in installed}
    chosen: list[str] = []
    for family in (*WINDOWS_FAMILIES, BUNDLED_FAMILY):
        name = known.get(family.casefold())
        if name is not None and name not in chosen:
            chosen.append(name)
    # 微软雅黑 is Microsoft YaHei's Chinese name: one of the two is enough.
    if "微软雅黑" in chosen and any(n.casefold() == "microsoft yahei" for n in chosen):
        chosen.remove("微软雅黑")
    if "宋体" in chosen and any(n.casefold() == "simsun" for n in chosen):
        chosen.remove("宋体")
    return chosen
