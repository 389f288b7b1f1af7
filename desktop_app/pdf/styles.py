"""Page geometry and paragraph styles of the printed report, as data (GB/T 9704-2012).

:data:`PAGE` holds the page and text block; :data:`STYLE_SPECS` holds every paragraph
style as plain values naming a font *role*. :func:`build_styles` binds the roles to the
fonts found on this machine and returns reportlab ``ParagraphStyle`` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .fonts import FontRole, FontSet

if TYPE_CHECKING:  # pragma: no cover
    from reportlab.lib.styles import ParagraphStyle

MM = 72 / 25.4  # points per millimetre
#: 号 → pt (domain.md §4).
SIZE_2 = 22.0  # 二号: title
SIZE_3 = 16.0  # 三号: body and headings
SIZE_4 = 14.0  # 四号: page numbers
SIZE_5 = 10.5  # 五号: tables
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
    #: Page number: 四号 宋体 "— N —", its top 7 mm below the text block, one character
    #: in from the right edge on odd pages and from the left edge on even pages.
    page_number_size: float = SIZE_4
    page_number_gap: float = 7 * MM

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


PAGE = PageLayout()
LEADING = PAGE.body_leading
INDENT = 2 * SIZE_3  # first-line indent: two characters


@dataclass(frozen=True)
class StyleSpec:
    """One paragraph style as data; ``role`` picks the font (see :class:`FontRole`)."""

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
    extra: dict[str, Any] = field(default_factory=dict)


#: Table text; the right indent keeps a hanging ，or 。 off the cell's rule.
_CELL = dict(role=FontRole.BODY, size=SIZE_5, leading=13.5)
_HANG = SIZE_5 / 3

#: Every paragraph style of the document, by name.
STYLE_SPECS: dict[str, StyleSpec] = {
    "unit": StyleSpec(FontRole.HEADING1, align="center"),
    "title": StyleSpec(FontRole.TITLE, SIZE_2, leading=34, align="center",
                       space_before=LEADING * 0.5, space_after=LEADING),
    "body": StyleSpec(FontRole.BODY, first_line_indent=INDENT),
    # Headings are kept with their text by a conditional page break (story.heading).
    "heading1": StyleSpec(FontRole.HEADING1, first_line_indent=INDENT),
    "heading2": StyleSpec(FontRole.HEADING2, first_line_indent=INDENT),
    "heading3": StyleSpec(FontRole.BODY, first_line_indent=INDENT),
    "lead_in": StyleSpec(FontRole.BODY, first_line_indent=INDENT, keep_with_next=True),
    "attachments": StyleSpec(FontRole.BODY, align="left", left_indent=INDENT + 3 * SIZE_3,
                             first_line_indent=-3 * SIZE_3, space_before=LEADING),
    "signature": StyleSpec(FontRole.BODY, align="right"),
    "attachment_label": StyleSpec(FontRole.HEADING1, align="left", space_after=LEADING * 0.5),
    "form_title": StyleSpec(FontRole.TITLE, 18, leading=26, align="center"),
    "form_subtitle": StyleSpec(FontRole.BODY, 12, leading=20, align="center"),
    "form_note": StyleSpec(FontRole.BODY, 12, leading=20, align="left"),
    "form_note_right": StyleSpec(FontRole.BODY, 12, leading=20, align="right"),
    "cell": StyleSpec(**_CELL, align="left", right_indent=_HANG),
    "cell_center": StyleSpec(**_CELL, align="center"),
    "cell_number": StyleSpec(**_CELL, align="right"),
    "cell_head": StyleSpec(FontRole.HEADING1, SIZE_5, leading=13.5, align="center"),
    "sign_cell": StyleSpec(FontRole.BODY, 14, leading=20, align="center"),
    "sign_head": StyleSpec(FontRole.HEADING1, 14, leading=20, align="center"),
    "page_number": StyleSpec(FontRole.NUMBERS, SIZE_4, leading=SIZE_4, align="center"),
}

#: Table look: grid line width, cell padding, and the height of a row to sign in.
TABLE_GRID_WIDTH = 0.5
TABLE_PADDING = 3.0
SIGN_ROW_HEIGHT = 16 * MM


@dataclass(frozen=True)
class Styles:
    """The document's styles bound to fonts: ``styles["body"]`` is a ParagraphStyle."""

    page: PageLayout
    paragraph: dict[str, ParagraphStyle]

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.paragraph[name]


def build_styles(fonts: FontSet, page: PageLayout = PAGE,
                 specs: dict[str, StyleSpec] | None = None) -> Styles:
    """Bind :data:`STYLE_SPECS` (or ``specs``) to ``fonts``."""
    from reportlab.lib.styles import ParagraphStyle

    paragraph = {}
    for name, spec in (specs or STYLE_SPECS).items():
        paragraph[name] = ParagraphStyle(
            name,
            fontName=fonts.name(spec.role),
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
            **spec.extra,
        )
    return Styles(page, paragraph)
