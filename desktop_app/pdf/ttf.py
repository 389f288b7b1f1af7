"""Fast TrueType loading for reportlab, and a cheap font-file scanner for the settings page.

reportlab's ``TTFontFace`` reads the whole file into memory and walks the character
map and metrics one ``struct.unpack`` at a time: ~0.1 s and ~25 MB per CJK font, most of
a cold ``render``. :class:`FastTTFont` is the same reportlab font with two changes:

* the file is memory-mapped, so only the tables read and the glyphs embedded are paged
  in (and the ``glyf`` table is never copied whole when subsetting);
* ``cmap`` (formats 4 and 12), ``hmtx`` and ``loca`` are read as arrays, ~10× faster.
  Other cmap formats use reportlab's own code. A test checks both agree.

:func:`scan_font_file` reads only a font's header, name and OS/2 tables: enough to list
the Chinese TrueType fonts of a machine by name without loading any of them.
"""

from __future__ import annotations

import mmap
import struct
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFont, TTFontFace, TTFontFile

_SWAP = sys.byteorder == "little"


def _array(code: str, data: bytes) -> array:
    """Big-endian ``data`` as a native array of ``code``."""
    values = array(code)
    values.frombytes(data[: len(data) - len(data) % values.itemsize])
    if _SWAP:
        values.byteswap()
    return values


class _Window:
    """A read-only view of ``data[start:]`` that copies only the slices asked for."""

    __slots__ = ("data", "start")

    def __init__(self, data: Any, start: int) -> None:
        self.data = data
        self.start = start

    def __getitem__(self, key: slice) -> bytes:
        return bytes(self.data[self.start + key.start: self.start + key.stop])


class _Loca:
    """``loca`` offsets in bytes, read lazily from the short (×2) or long array."""

    __slots__ = ("values", "factor")

    def __init__(self, values: array, factor: int) -> None:
        self.values = values
        self.factor = factor

    def __getitem__(self, index: int) -> int:
        return int(self.values[index]) * self.factor

    def __len__(self) -> int:
        return len(self.values)


class _HMetrics:
    """``(advance, left side bearing)`` per glyph, as reportlab's ``hmetrics`` list."""

    __slots__ = ("advances", "bearings")

    def __init__(self, advances: array, bearings: array) -> None:
        self.advances = advances
        self.bearings = bearings

    def __getitem__(self, glyph: int) -> tuple[int, int]:
        advance = self.advances[min(glyph, len(self.advances) - 1)]
        return advance, self.bearings[glyph]

    def __len__(self) -> int:
        return len(self.bearings)


class _Unsupported(Exception):
    """A cmap format the fast path does not read: use reportlab's parser."""


class FastTTFontFace(TTFontFace):
    """reportlab's ``TTFontFace`` over a memory map, with array-based table reading."""

    def __init__(self, filename: str, subfontIndex: int = 0) -> None:  # noqa: N803
        pdfmetrics.TypeFace.__init__(self, None)
        with open(filename, "rb") as handle:
            self._ttf_data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self.filename = filename
        TTFontFile.__init__(self, filename, validate=0, subfontIndex=subfontIndex)

    def extractInfo(self, charInfo: int = 1) -> None:  # noqa: N802, N803 - reportlab's names
        TTFontFile.extractInfo(self, 0)  # names, metrics, flags, embedding rights
        if not charInfo:
            return
        try:
            self._read_char_info()
        except _Unsupported:
            TTFontFile.extractInfo(self, 1)

    def get_table(self, tag: str) -> Any:
        """reportlab copies the whole ``glyf`` table per subset; hand it a window instead."""
        if tag == "glyf":
            return _Window(self._ttf_data, self.get_table_pos(tag)[0])
        return TTFontFile.get_table(self, tag)

    def _u16(self, pos: int) -> int:
        return int(struct.unpack_from(">H", self._ttf_data, pos)[0])

    def _u32(self, pos: int) -> int:
        return int(struct.unpack_from(">L", self._ttf_data, pos)[0])

    def _read_char_info(self) -> None:
        data = self._ttf_data
        head = self.get_table_pos("head")[0]
        index_to_loc_format, glyph_data_format = struct.unpack_from(">hh", data, head + 50)
        if glyph_data_format != 0:
            raise TTFError(f"Unknown glyph data format ({glyph_data_format})")
        hhea = self.get_table_pos("hhea")[0]
        metric_count = self._u16(hhea + 34)
        glyph_count = self.numGlyphs
        char_to_glyph = self._read_cmap()

        hmtx = self.get_table_pos("hmtx")[0]
        full = _array("H", data[hmtx: hmtx + 4 * metric_count])
        advances = full[0::2]
        bearings = full[1::2]
        rest = glyph_count - metric_count
        if rest > 0:
            start = hmtx + 4 * metric_count
            bearings.extend(_array("H", data[start: start + 2 * rest]))
        self.hmetrics = _HMetrics(advances, bearings)

        scale = self._pdfScale
        scaled: dict[int, float] = {}
        last = len(advances) - 1

        def width(glyph: int) -> float:
            advance = advances[min(glyph, last)]
            value = scaled.get(advance)
            if value is None:
                value = scaled[advance] = scale(advance)
            return value

        self.defaultWidth = width(0)
        self.charWidths = {code: width(glyph) for code, glyph in char_to_glyph.items()
                           if glyph < glyph_count}
        self.charToGlyph = char_to_glyph
        self.glyphToChar = {}  # only text shaping (uharfbuzz) reads it; shaping is off

        if "loca" not in self.table:
            raise TTFError("missing location table")
        loca = self.get_table_pos("loca")[0]
        if index_to_loc_format == 0:
            self.glyphPos = _Loca(_array("H", data[loca: loca + 2 * (glyph_count + 1)]), 2)
        elif index_to_loc_format == 1:
            self.glyphPos = _Loca(_array("I" if array("I").itemsize == 4 else "L",
                                         data[loca: loca + 4 * (glyph_count + 1)]), 1)
        else:
            raise TTFError(f"Unknown location table format ({index_to_loc_format})")
        if 0x20 in char_to_glyph:
            char_to_glyph[0xA0] = char_to_glyph[0x20]
            self.charWidths[0xA0] = self.charWidths.get(0x20, self.defaultWidth)
        elif 0xA0 in char_to_glyph:
            char_to_glyph[0x20] = char_to_glyph[0xA0]
            self.charWidths[0x20] = self.charWidths.get(0xA0, self.defaultWidth)

    def _read_cmap(self) -> dict[int, int]:
        """The character map, choosing the subtable exactly as reportlab does."""
        data = self._ttf_data
        cmap = self.get_table_pos("cmap")[0]
        version, count = struct.unpack_from(">HH", data, cmap)
        if count == 0 and version != 0:
            count = version
        chosen = None
        kind = 0
        for n in range(count):
            platform, encoding, offset = struct.unpack_from(">HHL", data, cmap + 4 + 8 * n)
            if platform == 3:
                kind, chosen = 1, offset
            elif platform == 1 and encoding == 0 and kind != 1:
                kind, chosen = 2, offset
            elif platform == 1 and encoding == 1:
                kind, chosen = 1, offset
            elif platform == 0 and encoding != 5:
                kind, chosen = 1, offset
        if chosen is None:
            raise TTFError("could not find a suitable cmap encoding")
        at = cmap + chosen
        fmt = self._u16(at)
        result: dict[int, int] = {}
        if fmt == 4:
            length = self._u16(at + 2)
            limit = at + length
            seg2 = self._u16(at + 6)
            segments = seg2 // 2
            ends = _array("H", data[at + 14: at + 14 + seg2])
            starts = _array("H", data[at + 16 + seg2: at + 16 + 2 * seg2])
            deltas = _array("h", data[at + 16 + 2 * seg2: at + 16 + 3 * seg2])
            range_at = at + 16 + 3 * seg2
            glyph_ids = _array("H", data[range_at: max(limit, range_at)])
            available = len(glyph_ids)
            for n in range(segments):
                start, end, delta = starts[n], ends[n], deltas[n]
                range_offset = glyph_ids[n] if n < available else 0
                if range_offset == 0:
                    result.update({code: (code + delta) & 0xFFFF for code in range(start, end + 1)})
                    continue
                base = n + range_offset // 2 - start
                for code in range(start, end + 1):
                    index = base + code
                    glyph = glyph_ids[index] if index < available else 0
                    result[code] = (glyph + delta) & 0xFFFF if glyph else 0
        elif fmt == 12:
            groups = self._u32(at + 12)
            table = _array("I" if array("I").itemsize == 4 else "L", data[at + 16: at + 16 + 12 * groups])
            for n in range(groups):
                start, end, glyph = table[3 * n], table[3 * n + 1], table[3 * n + 2]
                result.update(zip(range(start, end + 1), range(glyph, glyph + end - start + 1)))
        else:
            raise _Unsupported(fmt)
        return result


class FastTTFont(TTFont):
    """A reportlab ``TTFont`` whose face is a :class:`FastTTFontFace`; shaping is off."""

    def __init__(self, name: str, filename: str, subfontIndex: int = 0) -> None:  # noqa: N803
        # TTFont.__init__ minus building its own (slow) face.
        self.fontName = name
        self.face = FastTTFontFace(filename, subfontIndex=subfontIndex)
        self.encoding = TTEncoding()
        from weakref import WeakKeyDictionary

        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = False


# --- scanning font files without loading them -------------------------------------------


@dataclass(frozen=True)
class FontFileInfo:
    """What the settings page shows about a font file (face 0 of a collection)."""

    path: Path
    family: str  # the full name (family and style), in Chinese when the font has one
    english_family: str  # the full name in English
    cjk: bool  # declares GB2312 / CJK ideographs in its OS/2 table
    truetype: bool  # TrueType outlines (reportlab can embed it); False for CFF
    embeddable: bool = True  # its licence flags allow embedding a subset in a PDF


_ZH_LANGS = (0x0804, 0x1004, 0x0404, 0x0C04, 0x1404)


def scan_font_file(path: Path) -> FontFileInfo | None:
    """Read the family name and CJK coverage flags of ``path``; None if unreadable.

    Only a few kilobytes are read: the table directory, ``name`` and ``OS/2``.
    """
    try:
        with open(path, "rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    try:
        return _scan(path, data)
    except (struct.error, IndexError, UnicodeDecodeError, ValueError):
        return None
    finally:
        data.close()


def _scan(path: Path, data: Any) -> FontFileInfo | None:
    base = 0
    tag = bytes(data[0:4])
    if tag == b"ttcf":
        base = struct.unpack_from(">L", data, 12)[0]
        tag = bytes(data[base: base + 4])
    truetype = tag in (b"\x00\x01\x00\x00", b"true")
    if not truetype and tag != b"OTTO":
        return None
    tables: dict[bytes, tuple[int, int]] = {}
    count = struct.unpack_from(">H", data, base + 4)[0]
    for n in range(count):
        name, _checksum, offset, length = struct.unpack_from(">4sLLL", data, base + 12 + 16 * n)
        tables[name] = (offset, length)
    english, chinese = "", ""
    if b"name" in tables:
        offset, _ = tables[b"name"]
        _fmt, records, strings = struct.unpack_from(">HHH", data, offset)
        found: dict[tuple[int, int], str] = {}
        for n in range(records):
            platform, encoding, language, name_id, length, start = struct.unpack_from(
                ">HHHHHH", data, offset + 6 + 12 * n)
            if name_id != 4 or platform != 3:
                continue
            raw = bytes(data[offset + strings + start: offset + strings + start + length])
            text = raw.decode("utf-16-be", errors="replace").strip()
            found.setdefault((name_id, language), text)
        english = found.get((4, 0x0409), "")
        chinese = next((found[(4, language)] for language in _ZH_LANGS if (4, language) in found), "")
        if not english:
            english = next(iter(found.values()), "")
    cjk = False
    embeddable = True
    if b"OS/2" in tables:
        offset, length = tables[b"OS/2"]
        fs_type = struct.unpack_from(">H", data, offset + 8)[0]
        embeddable = not (fs_type == 0x0002 or fs_type & 0x0300)  # as reportlab decides
        unicode_range = struct.unpack_from(">4L", data, offset + 42)
        ideographs = bool(unicode_range[1] & (1 << (59 - 32)))  # bit 59: CJK ideographs
        if length >= 86:  # version ≥ 1 has code pages; a math font may claim bit 59 alone
            code_pages = struct.unpack_from(">L", data, offset + 78)[0]
            cjk = ideographs and bool(code_pages & ((1 << 18) | (1 << 20)))  # GB2312, Big5
        else:
            cjk = ideographs
    family = chinese or english or path.stem
    return FontFileInfo(path, family, english or family, cjk, truetype, embeddable)


# --- glyph outlines (for marks drawn as shapes, not text) --------------------------------

_ON_CURVE, _X_SHORT, _Y_SHORT, _REPEAT, _X_SAME, _Y_SAME = 1, 2, 4, 8, 16, 32
_ARG_WORDS, _XY_VALUES, _SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 1, 2, 8, 32, 64, 128

#: A contour: (x, y, on_curve) points in font units.
Contour = list[tuple[float, float, bool]]


def glyph_contours(face: TTFontFace, glyph: int, depth: int = 0) -> list[Contour]:
    """The outline of ``glyph`` of a loaded face, in font units (composites resolved)."""
    data = face._ttf_data
    start = face.get_table_pos("glyf")[0] + face.glyphPos[glyph]
    if face.glyphPos[glyph + 1] == face.glyphPos[glyph] or depth > 8:
        return []
    contours_count = struct.unpack_from(">h", data, start)[0]
    if contours_count < 0:
        return _composite(face, start + 10, depth)
    at = start + 10
    ends = struct.unpack_from(f">{contours_count}H", data, at)
    at += 2 * contours_count
    points = ends[-1] + 1 if ends else 0
    at += 2 + struct.unpack_from(">H", data, at)[0]  # skip the instructions
    flags: list[int] = []
    while len(flags) < points:
        flag = data[at]
        at += 1
        flags.append(flag)
        if flag & _REPEAT:
            flags.extend([flag] * data[at])
            at += 1
    flags = flags[:points]
    xs, at = _coordinates(data, at, flags, _X_SHORT, _X_SAME)
    ys, at = _coordinates(data, at, flags, _Y_SHORT, _Y_SAME)
    contours: list[Contour] = []
    first = 0
    for end in ends:
        contours.append([(xs[i], ys[i], bool(flags[i] & _ON_CURVE)) for i in range(first, end + 1)])
        first = end + 1
    return contours


def _coordinates(data: Any, at: int, flags: list[int], short: int, same: int) -> tuple[list[int], int]:
    values, value = [], 0
    for flag in flags:
        if flag & short:
            delta = data[at]
            at += 1
            value += delta if flag & same else -delta
        elif not flag & same:
            value += struct.unpack_from(">h", data, at)[0]
            at += 2
        values.append(value)
    return values, at


def _composite(face: TTFontFace, at: int, depth: int) -> list[Contour]:
    data = face._ttf_data
    contours: list[Contour] = []
    flags = _MORE
    while flags & _MORE:
        flags, glyph = struct.unpack_from(">HH", data, at)
        at += 4
        if flags & _ARG_WORDS:
            dx, dy = struct.unpack_from(">hh", data, at)
            at += 4
        else:
            dx, dy = struct.unpack_from(">bb", data, at)
            at += 2
        if not flags & _XY_VALUES:
            dx = dy = 0  # point-matching offsets: rare in CJK fonts, ignored
        a, b, c, d = 1.0, 0.0, 0.0, 1.0
        if flags & _SCALE:
            a = d = struct.unpack_from(">h", data, at)[0] / 16384
            at += 2
        elif flags & _XY_SCALE:
            a, d = (v / 16384 for v in struct.unpack_from(">hh", data, at))
            at += 4
        elif flags & _TWO_BY_TWO:
            a, b, c, d = (v / 16384 for v in struct.unpack_from(">hhhh", data, at))
            at += 8
        for contour in glyph_contours(face, glyph, depth + 1):
            contours.append([(a * x + c * y + dx, b * x + d * y + dy, on) for x, y, on in contour])
    return contours
