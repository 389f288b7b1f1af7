"""The one font resolver of the printed report, and per-character font fallback.

Each typographic role (title 小标宋, body 仿宋, heading1 黑体, heading2 楷体, numbers 宋体)
has an ordered list of candidate TrueType files: the Windows fonts first, then the
places where UOS, Kylin and hand-installed Windows fonts live on Linux, then the Debian
packages (fonts-arphic-uming/ukai, fonts-wqy-microhei, fonts-lxgw-wenkai), then the
``resources/fonts`` folder that packaging may fill. The first file that exists, loads
and has Chinese characters wins; a role with none of its own falls back to any font
found for another role. Noto CJK and other CFF fonts are never listed, and reportlab
refuses them anyway (such files are skipped, not fatal).

Resolution is lazy and cached per process: reading a CJK font costs ~0.1 s.

A glyph missing from a font is silent in reportlab, so text goes into Paragraph markup
through :meth:`FontSet.markup`, which escapes it and switches font per character: the
paragraph's font, then every other found font, then a Latin font (DejaVu) for symbols.

Resolving also installs two narrow fixes to reportlab (see :func:`_patch_reportlab`).
"""

from __future__ import annotations

import enum
import functools
import os
import struct
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable
from xml.sax.saxutils import escape

from .errors import FontsUnavailableError

if TYPE_CHECKING:  # pragma: no cover
    from reportlab.pdfbase.ttfonts import TTFont


class FontRole(enum.Enum):
    """What a font is used for in the document (GB/T 9704 typefaces)."""

    TITLE = "title"  # 小标宋 → 黑体 → 宋体
    BODY = "body"  # 仿宋
    HEADING1 = "heading1"  # 黑体
    HEADING2 = "heading2"  # 楷体
    NUMBERS = "numbers"  # 宋体: page numbers


@dataclass(frozen=True)
class FontCandidate:
    """A font file that may exist, with the face to use inside a .ttc collection."""

    path: Path
    subfont_index: int = 0


#: File names looked up in the Windows font folders and the Linux folders where
#: domestic systems (UOS: fonts-cesi; 方正 packages) or users put Chinese fonts.
ROLE_FILE_NAMES: dict[FontRole, tuple[str, ...]] = {
    FontRole.TITLE: (
        "FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXBSK.TTF",
        "CESI_XBS_GB2312.TTF", "CESI_XBS_GB18030.TTF", "CESI_XBS_GB13000.TTF",
        "simhei.ttf", "CESI_HT_GB2312.TTF", "simsun.ttc", "CESI_SS_GB2312.TTF",
    ),
    FontRole.BODY: (
        "simfang.ttf", "仿宋_GB2312.ttf",
        "CESI_FS_GB2312.TTF", "CESI_FS_GB18030.TTF", "CESI_FS_GB13000.TTF",
    ),
    FontRole.HEADING1: (
        "simhei.ttf", "CESI_HT_GB2312.TTF", "CESI_HT_GB18030.TTF", "CESI_HT_GB13000.TTF",
    ),
    FontRole.HEADING2: (
        "simkai.ttf", "楷体_GB2312.ttf",
        "CESI_KT_GB2312.TTF", "CESI_KT_GB18030.TTF", "CESI_KT_GB13000.TTF",
    ),
    FontRole.NUMBERS: (
        "simsun.ttc", "CESI_SS_GB2312.TTF", "CESI_SS_GB18030.TTF", "CESI_SS_GB13000.TTF",
    ),
}

_UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
_UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")
_WQY_MICROHEI = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
_WQY_ZENHEI = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
_LXGW = (
    Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"),  # Debian 12+
    Path("/usr/share/fonts/truetype/lxgw/LXGWWenKai-Regular.ttf"),
)
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

#: Free TrueType CJK fonts from Debian packages (also on UOS/Kylin), by role.
#: No free 仿宋 exists there: the body falls back to 宋 (the closest in form), then 楷.
DEBIAN_FILES: dict[FontRole, tuple[Path, ...]] = {
    FontRole.TITLE: (_WQY_MICROHEI, _WQY_ZENHEI, _UMING),
    FontRole.BODY: (_UMING, *_LXGW, _UKAI),
    FontRole.HEADING1: (_WQY_MICROHEI, _WQY_ZENHEI),
    FontRole.HEADING2: (*_LXGW, _UKAI),
    FontRole.NUMBERS: (_UMING,),
}

#: Fonts used only for characters the role fonts lack (rare name characters such as
#: 𬌗 are in LXGW WenKai; SimSun-ExtB has CJK Extension B), then Latin symbols.
COVERAGE_FILE_NAMES: tuple[str, ...] = ("LXGWWenKai-Regular.ttf", "simsunb.ttf")
COVERAGE_FILES: tuple[Path, ...] = (*_LXGW, _UMING, _UKAI, _WQY_MICROHEI)
SYMBOL_FILE_NAMES: tuple[str, ...] = ("DejaVuSans.ttf", "seguisym.ttf", "arial.ttf")
SYMBOL_FILES: tuple[Path, ...] = (_DEJAVU,)

_CJK_PROBE = "中文仿宋"


def system_font_dirs() -> list[Path]:
    """Folders searched by file name: Windows fonts, or Linux folders for Chinese fonts."""
    if os.name == "nt":
        windir = Path(os.environ.get("WINDIR", "C:/Windows"))
        dirs = [windir / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:  # fonts installed "for this user only", e.g. a licensed 方正小标宋
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    home = Path.home()
    return [
        Path("/usr/share/fonts/fonts-cesi"),  # UOS
        Path("/usr/share/fonts/truetype/fonts-cesi"),
        Path("/usr/share/fonts/fangzheng"),
        Path("/usr/share/fonts/truetype/fangzheng"),
        Path("/usr/share/fonts/winfonts"),  # Windows fonts copied over (Kylin habit)
        Path("/usr/share/fonts/truetype/windows"),
        Path("/usr/share/fonts/windows"),
        Path("/usr/share/fonts/chinese/TrueType"),
        home / ".local/share/fonts",
        home / ".fonts",
    ]


def bundled_font_dir() -> Path:
    """``resources/fonts``, filled by packaging when it bundles fonts (may not exist)."""
    from desktop_app.resources import resource_path

    return resource_path("fonts")


def _by_name(names: Iterable[str], dirs: list[Path]) -> list[FontCandidate]:
    return [FontCandidate(folder / name) for name in names for folder in dirs]


def role_candidates(role: FontRole) -> list[FontCandidate]:
    """Every file that may serve ``role``, most preferred first."""
    debian = DEBIAN_FILES.get(role, ())
    bundled_names = (*ROLE_FILE_NAMES[role], *(path.name for path in debian))
    return [
        *_by_name(ROLE_FILE_NAMES[role], system_font_dirs()),
        *(FontCandidate(path) for path in debian),
        *_by_name(bundled_names, [bundled_font_dir()]),
    ]


def coverage_candidates() -> list[FontCandidate]:
    """Extra fonts for characters the role fonts lack: wide CJK coverage, then symbols."""
    dirs = system_font_dirs()
    bundled = bundled_font_dir()
    extra = sorted(bundled.glob("*.tt[fc]")) if bundled.is_dir() else []
    return [
        *_by_name(COVERAGE_FILE_NAMES, dirs),
        *(FontCandidate(path) for path in COVERAGE_FILES),
        *(FontCandidate(path) for path in extra),
        *_by_name(SYMBOL_FILE_NAMES, dirs),
        *(FontCandidate(path) for path in SYMBOL_FILES),
    ]


@dataclass(frozen=True)
class LoadedFont:
    """A font file registered with reportlab under ``name``."""

    name: str
    path: Path
    subfont_index: int
    font: TTFont = field(compare=False, repr=False)

    @property
    def is_cjk(self) -> bool:
        """Whether the font has Chinese characters."""
        return all(self.has(ch) for ch in _CJK_PROBE)

    def has(self, ch: str) -> bool:
        """Whether the font has a glyph for the character ``ch``."""
        return ord(ch) in self.font.face.charToGlyph


def _neutral(ch: str) -> bool:
    """Characters drawn in whatever font is current and never reported missing."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


class FontSet:
    """The fonts found on this machine: one per role, and the fallback chain.

    Args:
        roles: the font of each role.
        fallbacks: further fonts tried, in order, for characters a font lacks.
    """

    def __init__(self, roles: dict[FontRole, LoadedFont], fallbacks: Iterable[LoadedFont] = ()) -> None:
        self.roles = dict(roles)
        chain: list[LoadedFont] = []
        for font in (*self.roles.values(), *fallbacks):
            if font not in chain:
                chain.append(font)
        self.chain: tuple[LoadedFont, ...] = tuple(chain)
        self._by_name = {font.name: font for font in chain}

    def name(self, role: FontRole) -> str:
        """The reportlab font name registered for ``role``."""
        return self.roles[role].name

    def font_for(self, ch: str, base: str) -> str | None:
        """The first font, starting at ``base``, with a glyph for ``ch``; None if none has."""
        first = self._by_name.get(base)
        if first is not None and first.has(ch):
            return base
        for font in self.chain:
            if font.has(ch):
                return font.name
        return None

    def runs(self, text: str, base: str) -> list[tuple[str, str]]:
        """Split ``text`` into (font name, text) runs so every character has a glyph.

        Characters no font has stay in ``base`` (drawn as a blank box); see :meth:`missing`.
        """
        result: list[tuple[str, str]] = []
        for ch in text:
            if unicodedata.category(ch) == "Cc":
                ch = " "  # tabs, stray control characters: never draw a notdef for them
            font = base if _neutral(ch) else (self.font_for(ch, base) or base)
            if result and (result[-1][0] == font or _neutral(ch)):
                result[-1] = (result[-1][0], result[-1][1] + ch)
            else:
                result.append((font, ch))
        return result

    def markup(self, text: str, base: str) -> str:
        """``text`` escaped for a Paragraph whose font is ``base``, with ``<font>`` runs."""
        parts = []
        for font, chunk in self.runs(text, base):
            escaped = escape(chunk)
            parts.append(escaped if font == base else f'<font name="{font}">{escaped}</font>')
        return "".join(parts)

    def string_width(self, text: str, base: str, size: float) -> float:
        """Width in points of ``text`` set in ``base`` at ``size``, with fallback fonts."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return sum(stringWidth(chunk, font, size) for font, chunk in self.runs(text, base))

    def missing(self, texts: Iterable[str]) -> set[str]:
        """Characters of ``texts`` that no found font can draw."""
        result: set[str] = set()
        for text in texts:
            for ch in set(text):
                if not _neutral(ch) and self.font_for(ch, "") is None:
                    result.add(ch)
        return result

    def describe(self) -> dict[str, str]:
        """Role → font file, for an about box or a support log."""
        return {role.value: str(font.path) for role, font in self.roles.items()}


def _load(candidate: FontCandidate, name: str) -> LoadedFont | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    if not candidate.path.is_file():
        return None
    try:
        font = TTFont(name, str(candidate.path), subfontIndex=candidate.subfont_index)
    except (TTFError, OSError, ValueError, struct.error):
        return None  # CFF/OpenType outlines (Noto CJK), damaged files: skip, never fatal
    pdfmetrics.registerFont(font)
    return LoadedFont(name, candidate.path, candidate.subfont_index, font)


def _resolve() -> FontSet:
    _patch_reportlab()
    loaded: dict[FontCandidate, LoadedFont | None] = {}

    def load(candidate: FontCandidate) -> LoadedFont | None:
        if candidate not in loaded:
            # Stable names in resolution order keep the PDF byte-stable.
            name = f"jxzp{len(loaded)}-{candidate.path.stem}-{candidate.subfont_index}"
            loaded[candidate] = _load(candidate, name)
        return loaded[candidate]

    searched: list[str] = []
    roles: dict[FontRole, LoadedFont] = {}
    for role in FontRole:
        for candidate in role_candidates(role):
            searched.append(str(candidate.path))
            font = load(candidate)
            if font is not None and font.is_cjk:
                roles[role] = font
                break
    if not roles:
        raise FontsUnavailableError(tuple(dict.fromkeys(searched)))
    # A role with none of its own typefaces borrows: body → numbers → any.
    found = list(roles.values())
    preference = [roles.get(FontRole.BODY), roles.get(FontRole.NUMBERS), *found]
    substitute = next(font for font in preference if font is not None)
    for role in FontRole:
        roles.setdefault(role, substitute)
    fallbacks = [font for font in map(load, coverage_candidates()) if font is not None]
    return FontSet(roles, fallbacks)


@functools.lru_cache(maxsize=1)
def resolve_fonts() -> FontSet:
    """Find, load and register the fonts once per process.

    Raises:
        FontsUnavailableError: no TrueType font with Chinese characters was found.
    """
    return _resolve()


def missing_characters(texts: Iterable[str]) -> set[str]:
    """Characters of ``texts`` that none of the found fonts can draw."""
    return resolve_fonts().missing(texts)


#: Characters that must not start a line in Chinese text (GB/T 15834 punctuation).
CANNOT_START = "，。、；：？！）》」』】〕〉”’…—％%．·"


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with UTF-16 surrogate pairs beyond the BMP."""
    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{index:02X}> <{utf16(code)}>" for index, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


def _patch_reportlab() -> None:
    """Two narrow, idempotent fixes to reportlab 4–5, installed on first resolution.

    * Its ToUnicode CMap writes code points above U+FFFF as 5 hex digits, so text
      extraction and search turn 𬌗 (U+2C317) into another character; write UTF-16.
    * Its CJK line breaking keeps only ASCII and a few CJK closing marks off the start of a
      line; add the full-width ，；：？！”》 and friends (the line then hangs one mark).
    """
    from reportlab.lib import textsplit
    from reportlab.pdfbase import ttfonts
    from reportlab.platypus import paragraph

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    # Both modules hold their own copy: one-fragment paragraphs break in textsplit.
    for module in (textsplit, paragraph):
        extra = "".join(ch for ch in CANNOT_START if ch not in module.ALL_CANNOT_START)
        module.ALL_CANNOT_START = module.ALL_CANNOT_START + extra
