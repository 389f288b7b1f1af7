"""The one font resolver of the printed report, and per-character font fallback.

Each typographic role (title 小标宋, body 仿宋, heading1 黑体, heading2 楷体, numbers 宋体)
has an ordered list of candidate TrueType files: the Windows fonts first, then the
places where UOS, Kylin and hand-installed Windows fonts live on Linux, then the Debian
packages (fonts-arphic-uming/ukai, fonts-wqy-microhei, fonts-lxgw-wenkai), then the
``resources/fonts`` folder that packaging may fill. The first file that exists, loads
and has Chinese characters wins; a role with none of its own falls back to any font
found for another role. The user may choose the file of any role (a ``choice`` mapping
role → path, passed in as data by the UI); a choice that cannot be used is recorded in
:attr:`FontSet.rejected` and the role is resolved as if nothing had been chosen. Noto
CJK and other CFF fonts are never listed, and reportlab refuses them anyway (such files
are skipped, not fatal).

Fonts are loaded by :class:`~.ttf.FastTTFont` (memory-mapped, ~15 ms for a CJK font),
each file once per process; the fallback fonts only when a character needs them.

A glyph missing from a font is silent in reportlab, so text goes into Paragraph markup
through :meth:`FontSet.markup` (or is split by :meth:`FontSet.runs`), which switches
font per character: the paragraph's font, then every other role font, then fonts with
wide coverage (LXGW WenKai has rare name characters such as 𬌗), then a Latin font
(DejaVu) for symbols. :func:`missing_glyphs` lists what no font can draw.

Resolving also installs two narrow fixes to reportlab (see :func:`_patch_reportlab`).
"""

from __future__ import annotations

import enum
import functools
import os
import struct
import threading
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

from ..system.font_dirs import font_glob, listed_font_dirs, named_font_dirs
from .errors import FontsUnavailableError

if TYPE_CHECKING:  # pragma: no cover
    from .ttf import FastTTFont, FontFileInfo


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

    @classmethod
    def parse(cls, text: str) -> FontCandidate:
        """``/path/simsun.ttc`` or ``/path/simsun.ttc#1`` (face 1 of the collection)."""
        path, sep, index = text.rpartition("#")
        if sep and index.isdigit():
            return cls(Path(path), int(index))
        return cls(Path(text))

    def __str__(self) -> str:
        return str(self.path) + (f"#{self.subfont_index}" if self.subfont_index else "")


#: File names looked up in the Windows font folders and the Linux folders where
#: domestic systems (UOS: fonts-cesi; 方正 packages) or users put Chinese fonts.
ROLE_FILE_NAMES: dict[FontRole, tuple[str, ...]] = {
    FontRole.TITLE: (
        "FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXBSK.TTF", "方正小标宋_GBK.ttf",
        "CESI_XBS_GB2312.TTF", "CESI_XBS_GB18030.TTF", "CESI_XBS_GB13000.TTF",
        "simhei.ttf", "FZHTK.TTF", "CESI_HT_GB2312.TTF", "simsun.ttc", "CESI_SS_GB2312.TTF",
    ),
    FontRole.BODY: (
        "simfang.ttf", "仿宋_GB2312.ttf", "FZFSK.TTF", "方正仿宋_GBK.ttf",
        "CESI_FS_GB2312.TTF", "CESI_FS_GB18030.TTF", "CESI_FS_GB13000.TTF", "STFANGSO.TTF",
    ),
    FontRole.HEADING1: (
        "simhei.ttf", "FZHTK.TTF", "方正黑体_GBK.ttf",
        "CESI_HT_GB2312.TTF", "CESI_HT_GB18030.TTF", "CESI_HT_GB13000.TTF",
    ),
    FontRole.HEADING2: (
        "simkai.ttf", "楷体_GB2312.ttf", "FZKTK.TTF", "方正楷体_GBK.ttf",
        "CESI_KT_GB2312.TTF", "CESI_KT_GB18030.TTF", "CESI_KT_GB13000.TTF", "STKAITI.TTF",
    ),
    FontRole.NUMBERS: (
        "simsun.ttc", "FZSSK.TTF", "CESI_SS_GB2312.TTF", "CESI_SS_GB18030.TTF",
        "CESI_SS_GB13000.TTF", "STSONG.TTF",
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
    return named_font_dirs()


def bundled_font_dir() -> Path:
    """``resources/fonts``, filled by packaging when it bundles fonts (may not exist)."""
    from desktop_app.resources import resource_path

    return resource_path("fonts")


@functools.lru_cache(maxsize=64)
def _listing(folder: Path) -> dict[str, Path]:
    """Lower-cased file name → path of the files in ``folder`` (names differ in case
    between Windows and the copies of Windows fonts on Linux)."""
    try:
        return {entry.name.lower(): Path(entry.path) for entry in os.scandir(folder)}
    except OSError:
        return {}


def _by_name(names: Iterable[str], dirs: list[Path]) -> list[FontCandidate]:
    found = []
    for name in names:
        for folder in dirs:
            path = _listing(folder).get(name.lower())
            if path is not None:
                found.append(FontCandidate(path))
    return found


def role_candidates(role: FontRole) -> list[FontCandidate]:
    """Every file on this machine that may serve ``role``, most preferred first."""
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
        *(FontCandidate(path) for path in COVERAGE_FILES if path.is_file()),
        *(FontCandidate(path) for path in extra),
        *_by_name(SYMBOL_FILE_NAMES, dirs),
        *(FontCandidate(path) for path in SYMBOL_FILES if path.is_file()),
    ]


# --- loading -------------------------------------------------------------------------


class LoadedFont:
    """A font file registered with reportlab under :attr:`name`, loaded on first use."""

    def __init__(self, candidate: FontCandidate) -> None:
        self.candidate = candidate
        self.path = candidate.path
        self.subfont_index = candidate.subfont_index
        # Derived from the file alone, so output does not depend on what else was tried.
        digest = f"{zlib.crc32(str(candidate).encode('utf-8')):08x}"
        self.name = f"jxzp-{candidate.path.stem}-{candidate.subfont_index}-{digest}"
        self._font: FastTTFont | None = None
        self._glyphs: dict[int, int] | None = None
        self.error: str | None = None

    def __repr__(self) -> str:
        return f"LoadedFont({str(self.candidate)!r})"

    def load(self) -> bool:
        """Parse and register the font once; False (and :attr:`error`) if unusable."""
        if self._font is not None:
            return True
        if self.error is not None:
            return False
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError

        from .ttf import FastTTFont

        with _lock:  # a render thread and the UI may ask at the same time
            if self._font is not None:
                return True
            try:
                font = FastTTFont(self.name, str(self.path), subfontIndex=self.subfont_index)
            except (TTFError, OSError, ValueError, IndexError, struct.error) as exc:
                # CFF/OpenType outlines (Noto CJK), damaged or empty files: skip, never fatal.
                self.error = str(exc) or type(exc).__name__
                return False
            pdfmetrics.registerFont(font)
            self._glyphs = font.face.charToGlyph
            self._font = font
        return True

    @property
    def font(self) -> FastTTFont:
        """The reportlab font (loaded on first access)."""
        if not self.load():
            raise FontsUnavailableError((str(self.path),))
        assert self._font is not None
        return self._font

    @property
    def is_cjk(self) -> bool:
        """Whether the font loads and has Chinese characters."""
        return self.load() and all(self.has(ch) for ch in _CJK_PROBE)

    def has(self, ch: str) -> bool:
        """Whether the font has a real glyph (not .notdef) for the character ``ch``."""
        if self._glyphs is None and not self.load():
            return False
        assert self._glyphs is not None
        return self._glyphs.get(ord(ch), 0) != 0

    def width(self, ch: str, size: float) -> float:
        """Advance width of ``ch`` at ``size`` points."""
        face = self.font.face
        return face.charWidths.get(ord(ch), face.defaultWidth) * size / 1000


_loaded: dict[FontCandidate, LoadedFont] = {}
_lock = threading.RLock()


def _load(candidate: FontCandidate) -> LoadedFont | None:
    """The font at ``candidate``, loaded at most once per process; None if unusable."""
    with _lock:
        font = _loaded.get(candidate)
        if font is None:
            font = _loaded[candidate] = LoadedFont(candidate)
        return font if font.load() else None


def _lazy(candidate: FontCandidate) -> LoadedFont:
    """The font at ``candidate`` without loading it yet."""
    with _lock:
        font = _loaded.get(candidate)
        if font is None:
            font = _loaded[candidate] = LoadedFont(candidate)
        return font


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities for Paragraph markup (``xml.sax.saxutils.escape``
    without importing urllib and http along with it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def is_neutral(ch: str) -> bool:
    """Characters drawn in whatever font is current and never reported missing."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


class FontSet:
    """The fonts chosen for a document: one per role, and the fallback chain.

    Args:
        roles: the font of each role.
        fallbacks: further fonts tried, in order, for characters a font lacks (loaded
            only when a character needs them).
        rejected: roles whose chosen file could not be used, with that file.
    """

    def __init__(self, roles: dict[FontRole, LoadedFont], fallbacks: Iterable[LoadedFont] = (),
                 rejected: Mapping[FontRole, Path] | None = None) -> None:
        self.roles = dict(roles)
        self.rejected: dict[FontRole, Path] = dict(rejected or {})
        chain: list[LoadedFont] = []
        for font in (*self.roles.values(), *fallbacks):
            if font not in chain:
                chain.append(font)
        self.chain: tuple[LoadedFont, ...] = tuple(chain)
        self._by_name = {font.name: font for font in chain}
        self._font_for: dict[tuple[str, str], str | None] = {}

    def name(self, role: FontRole) -> str:
        """The reportlab font name registered for ``role``."""
        return self.roles[role].name

    def font(self, name: str) -> LoadedFont:
        """The font registered as ``name``."""
        return self._by_name[name]

    def font_for(self, ch: str, base: str) -> str | None:
        """The first font, starting at ``base``, with a glyph for ``ch``; None if none has."""
        key = (ch, base)
        try:
            return self._font_for[key]
        except KeyError:
            pass
        result: str | None = None
        first = self._by_name.get(base)
        if first is not None and first.has(ch):
            result = base
        else:
            for font in self.chain:
                if font.has(ch):
                    result = font.name
                    break
        self._font_for[key] = result
        return result

    def runs(self, text: str, base: str) -> list[tuple[str, str]]:
        """Split ``text`` into (font name, text) runs so every character has a glyph.

        Characters no font has stay in ``base`` (drawn as a blank box); see :meth:`missing`.
        Control characters become spaces.
        """
        result: list[tuple[str, str]] = []
        current, chunk = "", []
        for ch in text:
            if ch < " " or "\x7f" <= ch <= "\x9f":
                ch = " "  # tabs, stray control characters: never draw a notdef for them
            if is_neutral(ch) and current:
                chunk.append(ch)
                continue
            font = base if is_neutral(ch) else (self.font_for(ch, base) or base)
            if font != current:
                if chunk:
                    result.append((current, "".join(chunk)))
                current, chunk = font, []
            chunk.append(ch)
        if chunk:
            result.append((current, "".join(chunk)))
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
        """Characters of ``texts`` that no font of the set can draw."""
        result: set[str] = set()
        for text in texts:
            for ch in set(text):
                if not is_neutral(ch) and self.font_for(ch, "") is None:
                    result.add(ch)
        return result

    def describe(self) -> dict[str, str]:
        """Role → font file, for an about box, a support log or a revision record."""
        return {role.value: str(font.candidate) for role, font in self.roles.items()}


def _choice_key(choice: Mapping[FontRole | str, str | Path] | None) -> tuple[tuple[str, str], ...]:
    if not choice:
        return ()
    key = []
    for role, path in choice.items():
        role = FontRole(role.value if isinstance(role, FontRole) else role)
        if str(path).strip():
            key.append((role.value, str(path)))
    return tuple(sorted(key))


def _resolve(choice: tuple[tuple[str, str], ...]) -> FontSet:
    _patch_reportlab()
    chosen = {FontRole(role): FontCandidate.parse(path) for role, path in choice}
    searched: list[str] = []
    roles: dict[FontRole, LoadedFont] = {}
    rejected: dict[FontRole, Path] = {}
    for role in FontRole:
        if role in chosen:
            candidate = chosen[role]
            font = _load(candidate)
            if font is not None and font.is_cjk:
                roles[role] = font
                continue
            rejected[role] = candidate.path
        for candidate in role_candidates(role):
            searched.append(str(candidate.path))
            font = _load(candidate)
            if font is not None and font.is_cjk:
                roles[role] = font
                break
    if not roles:
        searched += [str(path) for role in FontRole for path in DEBIAN_FILES.get(role, ())]
        raise FontsUnavailableError(tuple(dict.fromkeys(searched)))
    # A role with none of its own typefaces borrows: body → numbers → any.
    found = list(roles.values())
    preference = [roles.get(FontRole.BODY), roles.get(FontRole.NUMBERS), *found]
    substitute = next(font for font in preference if font is not None)
    for role in FontRole:
        roles.setdefault(role, substitute)
    fallbacks = [_lazy(candidate) for candidate in coverage_candidates()]
    return FontSet(roles, fallbacks, rejected)


@functools.lru_cache(maxsize=8)
def _resolve_cached(choice: tuple[tuple[str, str], ...]) -> FontSet:
    return _resolve(choice)


def resolve_fonts(choice: Mapping[FontRole | str, str | Path] | None = None) -> FontSet:
    """Find, load and register the fonts of each role; cached per ``choice``.

    Args:
        choice: the file chosen for some roles (role or role value → path, a ``.ttc``
            face as ``path#index``); empty or missing roles are found automatically.

    Raises:
        FontsUnavailableError: no TrueType font with Chinese characters was found.
    """
    return _resolve_cached(_choice_key(choice))


def clear_font_cache() -> None:
    """Forget resolutions and directory listings (fonts installed while running, tests)."""
    _resolve_cached.cache_clear()
    _listing.cache_clear()


def missing_characters(texts: Iterable[str]) -> set[str]:
    """Characters of ``texts`` that none of the automatically found fonts can draw."""
    return resolve_fonts().missing(texts)


# --- the fonts of this machine, for the settings page -------------------------------------


def scan_dirs() -> list[Path]:
    """Folders whose fonts the settings page lists (searched recursively on Linux)."""
    dirs = listed_font_dirs()
    dirs.append(bundled_font_dir())
    return dirs


def available_fonts(dirs: Iterable[Path] | None = None) -> list[FontFileInfo]:
    """Every TrueType font with Chinese characters under ``dirs`` whose licence allows
    embedding, sorted by name.

    Reads a few kilobytes per file (no font is loaded): fast enough for a dialog even
    with the hundreds of files of a Windows font folder.
    """
    from .ttf import scan_font_file

    seen: set[Path] = set()
    found = []
    for folder in dirs if dirs is not None else scan_dirs():
        if not folder.is_dir():
            continue
        pattern = font_glob()
        for path in sorted(folder.glob(pattern)):
            if path.suffix.lower() not in (".ttf", ".ttc") or path in seen:
                continue
            seen.add(path)
            info = scan_font_file(path)
            if info is not None and info.cjk and info.truetype and info.embeddable:
                found.append(info)
    return sorted(found, key=lambda info: (info.family, str(info.path)))


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
      (Flow text is set by our own GridParagraph; this is for table cells.)

    And one setting: page streams are compressed only, not also ASCII85-encoded (smaller
    and faster; nothing here needs a 7-bit-clean PDF).
    """
    from reportlab import rl_config
    from reportlab.lib import textsplit
    from reportlab.pdfbase import ttfonts
    from reportlab.platypus import paragraph

    rl_config.useA85 = 0
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    # Both modules hold their own copy: one-fragment paragraphs break in textsplit.
    for module in (textsplit, paragraph):
        extra = "".join(ch for ch in CANNOT_START if ch not in module.ALL_CANNOT_START)
        module.ALL_CANNOT_START = module.ALL_CANNOT_START + extra
