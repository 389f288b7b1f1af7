"""The thin renderer: fonts + styles + story → a PDF file, with page furniture.

Every page gets its number ("— N —", GB/T 9704), and optionally a draft mark (e.g.
"草稿（未通过校验）", light grey across the page, under the text) and a footer line
(e.g. "第1版 校验码 3F9A-C21B", small, below the page number). Output is byte-stable
(``invariant=True``): the same report, options and fonts give the same bytes, so a
finalized revision reprints identically. The PDF's metadata carry only the report title,
the unit name, and as creation and modification date the report's date (noon, Beijing
time) — reportlab's invariant 2000-01-01 when the report has no readable date.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Callable

from desktop_app import APP_DISPLAY_NAME
from desktop_app.domain.model import Report

from .fonts import FontRole, FontSet, resolve_fonts
from .styles import PAGE, PageLayout, build_styles

if TYPE_CHECKING:  # pragma: no cover
    from .ttf import Contour


def render_pdf(report: Report, out: Path | str | BinaryIO, *, mark: str = "", footer: str = "",
               fonts: FontSet | None = None,
               progress: Callable[[int], None] | None = None) -> int:
    """Render ``report`` as a PDF into the file ``out`` (a path or a binary stream).

    Args:
        report: the report (not modified).
        out: where to write.
        mark: printed large and light across every page (e.g. "草稿"); empty: no mark.
        footer: printed small at the foot of every page, below the page number.
        fonts: the fonts to use (:func:`~.fonts.resolve_fonts` with the user's choice);
            None finds them automatically.
        progress: called with each page number as the page is finished.

    Returns:
        The number of pages written.

    Raises:
        FontsUnavailableError: no usable Chinese font on this machine.
    """
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from .story import build_story, report_title

    fonts = fonts if fonts is not None else resolve_fonts()
    styles = build_styles(fonts)
    story = build_story(report, fonts, styles)
    title = report_title(report)
    page = styles.page
    target = str(out) if isinstance(out, (str, Path)) else out
    doc = BaseDocTemplate(
        target,
        pagesize=(page.width, page.height),
        leftMargin=page.margin_left,
        rightMargin=page.margin_right,
        topMargin=page.margin_top,
        bottomMargin=page.margin_bottom,
        title=title,
        author=report.header.unit_name.strip(),
        subject=title,
        creator=APP_DISPLAY_NAME,
        producer=APP_DISPLAY_NAME,
        lang="zh-CN",
        invariant=True,
        # Without it reportlab references an unembedded Helvetica in every page preamble.
        initialFontName=fonts.name(FontRole.BODY),
    )
    frame = Frame(page.margin_left, page.margin_bottom, page.frame_width, page.frame_height,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")

    def on_page(canvas: Any, _doc: Any) -> None:
        if mark:
            draw_mark(canvas, fonts, mark, page)
        draw_page_number(canvas, fonts, page)
        if footer:
            draw_footer(canvas, fonts, footer, page)

    def on_page_end(canvas: Any, _doc: Any) -> None:
        if progress is not None:
            progress(canvas.getPageNumber())

    doc.addPageTemplates([PageTemplate(id="body", frames=[frame], onPage=on_page,
                                       onPageEnd=on_page_end)])
    doc.build(story, canvasmaker=_canvas_maker(report.header.report_date))
    return int(doc.page)


def pdf_date(value: object) -> str | None:
    """The PDF date string (``D:20210310120000+08'00'``) for a report dated ``value``:
    noon in Beijing, so it shows as that day in any time zone; None if not a date."""
    if not isinstance(value, date):
        return None
    return f"D:{value.year:04d}{value.month:02d}{value.day:02d}120000+08'00'"


def _canvas_maker(report_date: object) -> Any:
    """reportlab's Canvas, dated ``report_date`` instead of the invariant 2000-01-01.

    The date comes from the data, never the clock: the same report gives the same bytes.
    """
    from reportlab.pdfgen.canvas import Canvas

    stamp = pdf_date(report_date)
    if stamp is None:
        return Canvas

    def make(*args: Any, **kwargs: Any) -> Any:
        canvas = Canvas(*args, **kwargs)
        canvas.setDateFormatter(lambda *_ymdhms: stamp)
        return canvas

    return make


def _draw_runs(canvas: Any, fonts: FontSet, text: str, base: str, size: float,
               x: float, y: float) -> None:
    """``text`` from ``(x, y)`` with per-character font fallback."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for font, chunk in fonts.runs(text, base):
        canvas.setFont(font, size)
        canvas.drawString(x, y, chunk)
        x += stringWidth(chunk, font, size)


def draw_page_number(canvas: Any, fonts: FontSet, page: PageLayout = PAGE) -> None:
    """"— N —" in 四号 宋体 below the text block: odd pages right, even pages left,
    one character in; the top of the dashes 7 mm below the block."""
    number = canvas.getPageNumber()
    text = f"— {number} —"
    base = fonts.name(FontRole.NUMBERS)
    size = page.page_number_size
    width = fonts.string_width(text, base, size)
    one_char = size
    if number % 2:
        x = page.width - page.margin_right - one_char - width
    else:
        x = page.margin_left + one_char
    # The em box's top (0.88 of the size above the baseline) sits page_number_gap below.
    y = page.margin_bottom - page.page_number_gap - 0.88 * size
    canvas.saveState()
    _draw_runs(canvas, fonts, text, base, size, x, y)
    canvas.restoreState()


def draw_footer(canvas: Any, fonts: FontSet, text: str, page: PageLayout = PAGE) -> None:
    """``text`` small and centred at the foot of the page, clear of the page number."""
    base = fonts.name(FontRole.NUMBERS)
    size = page.footer_size
    width = fonts.string_width(text, base, size)
    canvas.saveState()
    _draw_runs(canvas, fonts, text, base, size, (page.width - width) / 2, page.footer_baseline)
    canvas.restoreState()


def draw_mark(canvas: Any, fonts: FontSet, text: str, page: PageLayout = PAGE) -> None:
    """``text`` as a draft mark: large, light grey and diagonal across the text block,
    under the text; and once more, small and legible as text, at the top of the page.

    The diagonal copy is drawn as glyph outlines, not text: the PDF's text (search,
    copy, ``pdftotext``) stays the report's, with the mark once at the top of each page.
    """
    base = fonts.name(FontRole.HEADING1)
    canvas.saveState()
    size = page.mark_top_size
    width = fonts.string_width(text, base, size)
    canvas.setFillGray(page.mark_top_gray)
    _draw_runs(canvas, fonts, text, base, size, (page.width - width) / 2,
               page.height - page.margin_top / 2 - 0.35 * size)
    canvas.restoreState()
    # The diagonal outlines are stored once, as a form, and placed on every page.
    form = "jxzpDraftMark"
    if not canvas.hasForm(form):
        canvas.beginForm(form)
        _draw_mark_outline(canvas, fonts, text, base, page)
        canvas.endForm()
    canvas.doForm(form)


def _draw_mark_outline(canvas: Any, fonts: FontSet, text: str, base: str, page: PageLayout) -> None:
    from reportlab.pdfgen.canvas import FILL_NON_ZERO

    from .ttf import glyph_contours

    angle = math.radians(page.mark_angle)
    # As large as fits along the block's diagonal with a margin, never above the maximum.
    span = min(page.frame_width / math.cos(angle), page.frame_height / math.sin(angle)) * 0.8
    unit = fonts.string_width(text, base, 1.0) or 1.0
    size = min(page.mark_max_size, span / unit)
    canvas.saveState()
    canvas.setFillGray(page.mark_gray)
    canvas.translate(page.margin_left + page.frame_width / 2,
                     page.margin_bottom + page.frame_height / 2)
    canvas.rotate(page.mark_angle)
    path = canvas.beginPath()
    x = -unit * size / 2
    for font_name, chunk in fonts.runs(text, base):
        face = fonts.font(font_name).font.face
        scale = size / face.unitsPerEm
        for ch in chunk:
            glyph = face.charToGlyph.get(ord(ch), 0)
            for contour in glyph_contours(face, glyph) if glyph else ():
                _add_contour(path, contour, x, -0.35 * size, scale)
            x += face.charWidths.get(ord(ch), face.defaultWidth) * size / 1000
    canvas.drawPath(path, stroke=0, fill=1, fillMode=FILL_NON_ZERO)
    canvas.restoreState()


def _add_contour(path: Any, contour: Contour, dx: float, dy: float, scale: float) -> None:
    """A TrueType contour (quadratic B-spline) as cubic Bézier segments of ``path``."""
    points = [(dx + x * scale, dy + y * scale, on) for x, y, on in contour]
    if not points:
        return
    # Start on an on-curve point (or the midpoint of two off-curve ones).
    start = next((i for i, p in enumerate(points) if p[2]), None)
    if start is None:
        a, b = points[0], points[1 % len(points)]
        points.insert(1, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, True))
        start = 1
    points = points[start:] + points[:start]
    x0, y0 = points[0][0], points[0][1]
    path.moveTo(x0, y0)
    control: tuple[float, float] | None = None
    for x, y, on in points[1:] + points[:1]:
        if on:
            if control is None:
                path.lineTo(x, y)
            else:
                _quad(path, (x0, y0), control, (x, y))
            x0, y0, control = x, y, None
        elif control is None:
            control = (x, y)
        else:
            mx, my = (control[0] + x) / 2, (control[1] + y) / 2
            _quad(path, (x0, y0), control, (mx, my))
            x0, y0, control = mx, my, (x, y)
    path.close()


def _quad(path: Any, p0: tuple[float, float], c: tuple[float, float], p1: tuple[float, float]) -> None:
    path.curveTo(p0[0] + 2 / 3 * (c[0] - p0[0]), p0[1] + 2 / 3 * (c[1] - p0[1]),
                 p1[0] + 2 / 3 * (c[0] - p1[0]), p1[1] + 2 / 3 * (c[1] - p1[1]), p1[0], p1[1])
