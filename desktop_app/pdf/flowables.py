"""The grid paragraph: text set on the GB/T 9704 character grid, with Chinese line breaking.

reportlab's ``Paragraph`` cannot space characters, so a 3号 line of 156 mm holds 27
characters, not the 28 of the official grid, and its CJK wrapping lets ，；：？！”》 start
a line. :class:`GridParagraph` is a small flowable that does what a 公文 needs and no
more: every glyph is followed by a fixed character space (negative for the 28-character
grid), lines have a fixed pitch, justified lines spread the leftover space over the
gaps where Chinese text may stretch (never inside a number or a Latin word, never
between the halves of —— or ……), and line breaks follow the 禁则 (no line starts with a
closing mark or ends with an opening one; numbers and Latin words stay whole; —— and
…… are never split). Characters are drawn in runs of the font that has their glyph
(:meth:`FontSet.runs`), so per-character fallback comes for free.

Only what the story needs is supported: one size per paragraph, first-line, left and
right indents, four alignments, forced line breaks, and splitting between lines across
pages (never leaving a single first or last line alone). :class:`KeepLastLines` keeps
the last lines of the body with the signature block, so the signature never stands on a
page without text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from reportlab.platypus.flowables import Flowable, KeepTogether

from .fonts import FontSet

#: Characters that must not start a line (GB/T 15834: 点号, closing quotes and brackets;
#: —— and …… may start a line but never break in two, see ``_PAIRED``).
CANNOT_START = frozenset("，。、；：？！）》」』】〕〉〗”’％%．·.,;:?!)]}'\"〃々ゝゞ")
#: Characters that must not end a line (opening punctuation).
CANNOT_END = frozenset("（《「『【〔〈〖“‘([{")
#: Characters drawn doubled as one mark: never split between two lines.
_PAIRED = frozenset("—…")
#: Latin words and numbers are longer than this only in URLs and codes: break inside them.
_LONG_WORD = 12
#: Where the baseline sits in a line box: the ideographic em box (0.88 above the
#: baseline, 0.12 below) is centred between the line's top and bottom.
_EM_ASCENT = 0.88


@dataclass(frozen=True)
class GridStyle:
    """How a grid paragraph is set (all lengths in points).

    Attributes:
        size: font size.
        leading: line pitch, fixed.
        char_space: added after every glyph; negative to fit 28 characters of 16 pt in
            156 mm, as Word's document grid does.
        align: ``justify`` (the last line left), ``left``, ``center`` or ``right``.
        first_indent: extra indent of the first line (negative for a hanging indent).
    """

    size: float
    leading: float
    char_space: float = 0.0
    align: str = "justify"
    first_indent: float = 0.0
    left_indent: float = 0.0
    right_indent: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False


@dataclass
class _Line:
    x: float  # offset from the frame's left edge
    runs: list[tuple[str, float, str]]  # (font name, space after each glyph, text)


def ascii_word(ch: str) -> bool:
    """A character of a number or Latin word (printable ASCII but the space)."""
    return "!" <= ch <= "~"


class GridParagraph(Flowable):  # type: ignore[misc] - reportlab is untyped
    """One paragraph of plain text (``\\n`` forces a line break) on the character grid.

    Args:
        text: the paragraph's text; never markup.
        font: the reportlab font name of the paragraph (its role font).
        style: sizes, indents and alignment.
        fonts: the document's fonts, for per-character fallback and widths.
    """

    def __init__(self, text: str, font: str, style: GridStyle, fonts: FontSet,
                 _lines: list[_Line] | None = None, _width: float | None = None) -> None:
        super().__init__()
        self.text = text
        self.font = font
        self.style = style
        self.fonts = fonts
        self.keepWithNext = int(style.keep_with_next)
        self._lines = _lines
        self._laid_width = _width
        self.width = 0.0
        self.height = 0.0

    def __repr__(self) -> str:
        return f"GridParagraph({self.text[:20]!r}…)"

    # --- reportlab's Flowable protocol --------------------------------------------------

    def getSpaceBefore(self) -> float:  # noqa: N802
        return self.style.space_before

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.style.space_after

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        lines = self._layout(availWidth)
        self.width = availWidth
        self.height = len(lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        lines = self._layout(availWidth)
        fit = int((availHeight + 1e-6) // self.style.leading)
        if fit >= len(lines):
            return [self]
        if fit < 2:  # a single first line alone at the foot of a page
            return []
        if len(lines) - fit == 1:  # a single last line alone at the head of the next
            fit -= 1
        head = GridParagraph(self.text, self.font, replace(self.style, space_after=0.0,
                             keep_with_next=False), self.fonts, lines[:fit], availWidth)
        tail = GridParagraph(self.text, self.font, replace(self.style, space_before=0.0),
                             self.fonts, lines[fit:], availWidth)
        return [head, tail]

    def draw(self) -> None:
        style = self.style
        canvas = self.canv
        text = canvas.beginText()
        baseline = self.height - (style.leading - style.size) / 2 - _EM_ASCENT * style.size
        current_font = None
        current_space = None
        for line in self._lines or ():
            text.setTextOrigin(line.x, baseline)
            for font, char_space, chunk in line.runs:
                if font != current_font:
                    text.setFont(font, style.size, style.leading)
                    current_font = font
                if char_space != current_space:
                    text.setCharSpace(char_space)
                    current_space = char_space
                text.textOut(chunk)
            baseline -= style.leading
        canvas.drawText(text)

    # --- layout --------------------------------------------------------------------------

    def plain_lines(self) -> list[str]:
        """The text of each laid-out line (after :meth:`wrap`), for tests and debugging."""
        return ["".join(chunk for _, _, chunk in line.runs) for line in self._lines or ()]

    def line_glyphs(self) -> list[list[tuple[str, float, float]]]:
        """Each laid-out line (after :meth:`wrap`) as (character, left, right) of its
        glyphs, in points from the frame's left edge; for tests and debugging."""
        result = []
        for line in self._lines or ():
            x, glyphs = line.x, []
            for font, space, chunk in line.runs:
                loaded = self.fonts.font(font)
                for ch in chunk:
                    advance = loaded.width(ch, self.style.size)
                    glyphs.append((ch, x, x + advance))
                    x += advance + space
            result.append(glyphs)
        return result

    def _layout(self, width: float) -> list[_Line]:
        if self._lines is None or self._laid_width != width:
            self._lines = []
            for index, part in enumerate(self.text.split("\n")):
                self._lines += layout_lines(part, self.font, self.style, self.fonts, width,
                                            first=index == 0)
            self._laid_width = width
        return self._lines


def layout_lines(text: str, base: str, style: GridStyle, fonts: FontSet, width: float,
                 first: bool = True) -> list[_Line]:
    """Break one forced line of ``text`` into grid lines of at most ``width`` points."""
    size, space = style.size, style.char_space
    chars: list[str] = []
    fonts_of: list[str] = []
    advances: list[float] = []
    for font_name, chunk in fonts.runs(text, base):
        face = fonts.font(font_name).font.face
        widths, default = face.charWidths, face.defaultWidth
        scale = size / 1000
        for ch in chunk:
            chars.append(ch)
            fonts_of.append(font_name)
            advances.append(widths.get(ord(ch), default) * scale + space)
    count = len(chars)
    breakable = _break_opportunities(chars)
    lines: list[_Line] = []
    start = 0
    is_first = first
    while True:
        indent = style.left_indent + (style.first_indent if is_first else 0.0)
        available = width - indent - style.right_indent
        # Continuation lines never start with an ASCII space.
        while not is_first and start < count and chars[start] == " ":
            start += 1
        if start >= count and lines:
            return lines  # only spaces were left: they end the previous line
        end, used = start, 0.0
        while end < count and used + advances[end] - space <= available + 0.01:
            used += advances[end]
            end += 1
        if end < count:
            cut = end
            while cut > start and not breakable[cut]:
                cut -= 1
            end = cut if cut > start else max(end, start + 1)
        last = end >= count
        lines.append(_make_line(chars, fonts_of, advances, start, end, indent, available,
                                style, justify=not last))
        if last:
            return lines
        start, is_first = end, False


def _break_opportunities(chars: Sequence[str]) -> list[bool]:
    """``result[i]``: a line may start at ``chars[i]`` (index 0 and the end: True)."""
    count = len(chars)
    result = [True] * (count + 1)
    for i in range(1, count):
        before, ch = chars[i - 1], chars[i]
        if (ch in CANNOT_START or before in CANNOT_END or ch == " "
                or (ch in _PAIRED and before == ch)
                or (ascii_word(before) and ascii_word(ch))):
            result[i] = False
    # Words too long for any sensible line (URLs, codes) may break anywhere.
    i = 0
    while i < count:
        j = i
        while j < count and ascii_word(chars[j]):
            j += 1
        if j - i > _LONG_WORD:
            for k in range(i + 1, j):
                result[k] = chars[k] not in CANNOT_START and chars[k - 1] not in CANNOT_END
        i = max(j, i + 1)
    return result


def _stretches(before: str, after: str) -> bool:
    """Whether justification may widen the gap between ``before`` and ``after``: not
    inside a number or Latin word (``243.16``, ``81.05%``), nor inside —— or ……."""
    if ascii_word(before) and ascii_word(after):
        return False
    return not (before in _PAIRED and after == before)


def _make_line(chars: list[str], fonts_of: list[str], advances: list[float], start: int, end: int,
               indent: float, available: float, style: GridStyle, justify: bool) -> _Line:
    stop = end
    while stop > start and chars[stop - 1] == " ":
        stop -= 1  # trailing spaces neither count nor show
    glyphs = stop - start
    natural = sum(advances[start:stop]) - style.char_space if glyphs else 0.0
    base = round(style.char_space, 4)
    x = indent
    # The space after each glyph: the grid's, plus the justification's share in the
    # gaps that may stretch; the last glyph keeps the grid's (nothing follows it).
    spaces = [base] * glyphs
    if style.align == "justify" and justify and glyphs > 1:
        gaps = [i for i in range(glyphs - 1) if _stretches(chars[start + i], chars[start + i + 1])]
        if not gaps:  # one long word (a URL) filling the line: spread it evenly
            gaps = list(range(glyphs - 1))
        stretched = round(style.char_space + (available - natural) / len(gaps), 4)
        for i in gaps:
            spaces[i] = stretched
    elif style.align == "center":
        x += (available - natural) / 2
    elif style.align == "right":
        x += available - natural
    runs: list[tuple[str, float, str]] = []
    for offset, i in enumerate(range(start, stop)):
        font, space = fonts_of[i], spaces[offset]
        if runs and runs[-1][0] == font and runs[-1][1] == space:
            runs[-1] = (font, space, runs[-1][2] + chars[i])
        else:
            runs.append((font, space, chars[i]))
    return _Line(x, runs)


def grid_width(text: str, base: str, style: GridStyle, fonts: FontSet) -> float:
    """Width of ``text`` set on one line in ``style`` (glyphs plus the character spaces)."""
    if not text:
        return 0.0
    total = 0.0
    for font_name, chunk in fonts.runs(text, base):
        total += sum(fonts.font(font_name).width(ch, style.size) for ch in chunk)
    return total + style.char_space * (len(text) - 1)



class KeepLastLines(KeepTogether):  # type: ignore[misc] - reportlab is untyped
    """A grid paragraph whose last ``lines`` lines stay with the flowables after it.

    Where the whole does not fit, the paragraph is split so that as much of it as fits
    stays on this page and at least ``lines`` of its lines move on with the rest (GB/T
    9704: the signature and date are not put on a page of their own). A paragraph too
    short to split moves whole, as in reportlab's ``KeepTogether``.
    """

    def __init__(self, paragraph: GridParagraph, following: Sequence[Flowable], lines: int = 2) -> None:
        super().__init__([paragraph, *following])
        self._paragraph = paragraph
        self._following = list(following)
        self._lines = lines

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 - reportlab's names
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if self._H <= aH:
            return list(self._content)
        paragraph = self._paragraph
        leading = paragraph.style.leading
        total = len(paragraph._layout(aW))
        head = min(int((aH - paragraph.getSpaceBefore() + 1e-6) // leading), total - self._lines)
        tail_height = self._H - head * leading
        if head >= 2 and tail_height <= self._frame_height():
            parts = paragraph.split(aW, paragraph.getSpaceBefore() + head * leading)
            if len(parts) == 2:
                return [parts[0], KeepTogether([parts[1], *self._following])]
        return list(super().split(aW, aH))

    def _frame_height(self) -> float:
        frame = getattr(self, "_frame", None)
        return float(frame._height) if frame is not None else float("inf")
