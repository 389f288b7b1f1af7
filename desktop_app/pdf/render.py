"""The thin renderer: fonts + styles + story → a PDF file, with page numbers.

Output is byte-stable (``invariant=True``): the same report renders to the same bytes.
The PDF's metadata carry only the report title and the unit name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from desktop_app import APP_DISPLAY_NAME
from desktop_app.domain.model import Report

from .fonts import FontRole, FontSet, resolve_fonts
from .styles import PAGE, PageLayout, build_styles


def render_pdf(report: Report, out: Path | BinaryIO) -> int:
    """Render ``report`` as a PDF into the file ``out`` (a path or a binary stream).

    Returns:
        The number of pages written.

    Raises:
        FontsUnavailableError: no usable Chinese font on this machine.
    """
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from .story import build_story, report_title

    fonts = resolve_fonts()
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
    doc.addPageTemplates([PageTemplate(
        id="body", frames=[frame],
        onPage=lambda canvas, _doc: draw_page_number(canvas, fonts, page))])
    doc.build(story)
    return int(doc.page)


def draw_page_number(canvas: Any, fonts: FontSet, page: PageLayout = PAGE) -> None:
    """"— N —" in 四号 宋体 below the text block: odd pages right, even pages left."""
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
    # The top of the digits sits page_number_gap below the text block.
    y = page.margin_bottom - page.page_number_gap - 0.8 * size
    from reportlab.pdfbase.pdfmetrics import stringWidth

    canvas.saveState()
    for font, chunk in fonts.runs(text, base):
        canvas.setFont(font, size)
        canvas.drawString(x, y, chunk)
        x += stringWidth(chunk, font, size)
    canvas.restoreState()
