"""Page geometry and paragraph styles of the printed report, as data (GB/T 9704-2012).

:data:`PAGE` holds the page, the text block and its 22 × 28 grid, the page number, the
footer line and the draft mark; :data:`STYLE_SPECS` holds every paragraph style as plain
values naming a font *role*. Flow text (``grid=True``) is set by
:class:`~.flowables.GridParagraph` on the character grid; table cells by reportlab's
``Paragraph``. :func:`build_styles` binds the roles to the fonts of a :class:`FontSet`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .fonts import FontRole, FontSet

if TYPE_CHECKING:  # pragma: no cover
    from reportlab.lib.styles import ParagraphStyle

    from .flowables import GridStyle

MM = 72 / 25.4  # points per millimetre
#: 号 → pt (domain.md §4).
SIZE_2 = 22.0  # 二号: title
SIZE_3 = 16.0  # 三号: body and headings
SIZE_4 = 14.0  # 四号: page numbers
SIZE_5 = 10.5  # 五号: tables
SIZE_S5 = 9.0  # 小五: the footer line
TEXT_ALIGN = {"left": 0, "center": 1, "right": 2, "justify": 4}


@dataclass(frozen=True)
class PageLayout:
    """A4 with the 公文 text block: 156 × 225 mm, 22 lines of 28 characters."""

    width: float = 210 * MM
    height: float = 297 * MM
    margin_top: float = 37 * MM
    margin_left: float = 28 * MM
    margin_right: float = 26 * MM
    margin_bottom: float = 35 * MM
    lines_per_page: int = 22
    chars_per_line: int = 28
    #: Page number: 四号 宋体 "— N —", its top 7 mm below the text block, one character
    #: in from the right edge on odd pages and from the left edge on even pages.
    page_number_size: float = SIZE_4
    page_number_gap: float = 7 * MM
    #: The footer line ("第1版 校验码 …"): 小五, centred, its baseline this far above
    #: the paper's edge — well below the page number, well inside any printer's margin.
    footer_size: float = SIZE_S5
    footer_baseline: float = 13 * MM
    #: The draft mark: light grey, diagonal across the text block, under the text; and
    #: once as text, centred in the top margin.
    mark_gray: float = 0.8
    mark_top_size: float = SIZE_3
    mark_top_gray: float = 0.35
    mark_angle: float = 54.0
    mark_max_size: float = 72.0

    @property
    def frame_width(self) -> float:
        """Width of the text block."""
        return self.width - self.margin_left - self.margin_right

    @property
    def frame_height(self) -> float:
        """Height of the text block."""
        return self.height - self.margin_top - self.margin_bottom

    @property
    def body_leading(self) -> float:
        """Fixed line pitch giving exactly ``lines_per_page`` body lines (≈ 28.9 pt)."""
        return int(self.frame_height / self.lines_per_page * 100) / 100

    @property
    def char_space(self) -> float:
        """Space after each 三号 glyph so ``chars_per_line`` fill the block (≈ −0.21 pt)."""
        return (self.frame_width - self.chars_per_line * SIZE_3) / (self.chars_per_line - 1)

    @property
    def pitch(self) -> float:
        """Distance between characters on the grid (≈ 15.79 pt)."""
        return SIZE_3 + self.char_space


PAGE = PageLayout()
LEADING = PAGE.body_leading
CHAR_SPACE = PAGE.char_space
PITCH = PAGE.pitch
INDENT = 2 * PITCH  # first-line indent: two characters


@dataclass(frozen=True)
class StyleSpec:
    """One paragraph style as data; ``role`` picks the font (see :class:`FontRole`).

    ``grid`` styles are flow text set on the character grid (``char_space`` after each
    glyph); the others are table cells set by reportlab's ``Paragraph``.
    """

    role: FontRole
    size: float = SIZE_3
    leading: float = LEADING
    align: str = "justify"
    first_line_indent: float = 0.0
    left_indent: float = 0.0
    right_indent: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False
    grid: bool = True
    char_space: float = CHAR_SPACE


def _grid(role: FontRole, **values: Any) -> StyleSpec:
    return StyleSpec(role, **values)


def _cell(role: FontRole = FontRole.BODY, size: float = SIZE_5, leading: float = 13.5,
          **values: Any) -> StyleSpec:
    return StyleSpec(role, size, leading, grid=False, char_space=0.0, **values)


#: Table text; the right indent keeps a hanging ，or 。 off the cell's rule.
_HANG = SIZE_5 / 3

#: Every paragraph style of the document, by name.
STYLE_SPECS: dict[str, StyleSpec] = {
    # Front matter, all on the grid: unit line, title (2号, one grid line per line, a
    # blank line after it), then the body.
    "unit": _grid(FontRole.HEADING1, align="center"),
    "title": _grid(FontRole.TITLE, size=SIZE_2, align="center", char_space=0.0,
                   space_after=LEADING),
    "body": _grid(FontRole.BODY, first_line_indent=INDENT),
    # Headings are kept with their text by a conditional page break (story.heading).
    "heading1": _grid(FontRole.HEADING1, first_line_indent=INDENT),
    "heading2": _grid(FontRole.HEADING2, first_line_indent=INDENT),
    "heading3": _grid(FontRole.BODY, first_line_indent=INDENT),
    # A sentence announcing a table ("…如下表："): the story keeps it, and the 单位 line,
    # with the table's first rows by a conditional page break (not keepWithNext, which
    # would move the whole table and leave the foot of the page blank).
    "lead_in": _grid(FontRole.BODY, first_line_indent=INDENT),
    # 附件说明: a blank line below the body, two characters in, "附件：" hanging.
    "attachments": _grid(FontRole.BODY, align="left", left_indent=INDENT + 3 * PITCH,
                         first_line_indent=-3 * PITCH, space_before=LEADING),
    "signature": _grid(FontRole.BODY, align="right"),
    # "附件1" top left on the first line, the attachment's title on the third.
    "attachment_label": _grid(FontRole.HEADING1, align="left", space_after=LEADING),
    "form_title": _grid(FontRole.TITLE, size=18, leading=26, align="center", char_space=0.0),
    "form_subtitle": _grid(FontRole.BODY, size=12, leading=20, align="center", char_space=0.0),
    "table_unit": _grid(FontRole.BODY, size=12, leading=20, align="right", char_space=0.0),
    "form_note": _cell(size=12, leading=20, align="left"),
    "form_note_right": _cell(size=12, leading=20, align="right"),
    "cell": _cell(align="left", right_indent=_HANG),
    "cell_center": _cell(align="center"),
    "cell_number": _cell(align="right"),
    "cell_head": _cell(FontRole.HEADING1, align="center"),
    # One size for the whole signature table (a long 职务 wraps, it is not set smaller).
    "sign_cell": _cell(size=14, leading=18, align="center"),
    "sign_head": _cell(FontRole.HEADING1, size=14, leading=18, align="center"),
}

#: Table look: grid line width, cell padding, and the height of a row to sign in.
TABLE_GRID_WIDTH = 0.5
TABLE_PADDING = 3.0
SIGN_ROW_HEIGHT = 16 * MM


class Styles:
    """The document's styles bound to fonts.

    ``styles["cell"]`` is a reportlab ``ParagraphStyle``; :meth:`grid` gives the
    :class:`GridStyle` and font of a grid style; :meth:`spec` the data behind either.
    """

    def __init__(self, fonts: FontSet, page: PageLayout, specs: dict[str, StyleSpec]) -> None:
        self.fonts = fonts
        self.page = page
        self.specs = specs
        self._paragraph: dict[StyleSpec, ParagraphStyle] = {}
        self._grid: dict[StyleSpec, GridStyle] = {}

    def spec(self, name: str, **overrides: Any) -> StyleSpec:
        """The spec called ``name``, with some fields replaced."""
        spec = self.specs[name]
        return replace(spec, **overrides) if overrides else spec

    def font_name(self, spec: StyleSpec) -> str:
        """The reportlab font name of ``spec``'s role."""
        return self.fonts.name(spec.role)

    def paragraph_style(self, spec: StyleSpec) -> ParagraphStyle:
        """A reportlab ``ParagraphStyle`` for ``spec`` (cached)."""
        style = self._paragraph.get(spec)
        if style is None:
            from reportlab.lib.styles import ParagraphStyle

            style = self._paragraph[spec] = ParagraphStyle(
                f"{spec.role.value}-{len(self._paragraph)}",
                fontName=self.font_name(spec),
                fontSize=spec.size,
                leading=spec.leading,
                alignment=TEXT_ALIGN[spec.align],
                firstLineIndent=spec.first_line_indent,
                leftIndent=spec.left_indent,
                rightIndent=spec.right_indent,
                spaceBefore=spec.space_before,
                spaceAfter=spec.space_after,
                keepWithNext=int(spec.keep_with_next),
                wordWrap="CJK",
                allowWidows=0,
                allowOrphans=0,
            )
        return style

    def grid(self, spec: StyleSpec) -> GridStyle:
        """The :class:`GridStyle` for ``spec`` (cached)."""
        style = self._grid.get(spec)
        if style is None:
            from .flowables import GridStyle

            style = self._grid[spec] = GridStyle(
                size=spec.size, leading=spec.leading, char_space=spec.char_space,
                align=spec.align, first_indent=spec.first_line_indent,
                left_indent=spec.left_indent, right_indent=spec.right_indent,
                space_before=spec.space_before, space_after=spec.space_after,
                keep_with_next=spec.keep_with_next)
        return style

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.paragraph_style(self.specs[name])


def build_styles(fonts: FontSet, page: PageLayout = PAGE,
                 specs: dict[str, StyleSpec] | None = None) -> Styles:
    """Bind :data:`STYLE_SPECS` (or ``specs``) to ``fonts``."""
    return Styles(fonts, page, dict(specs or STYLE_SPECS))
