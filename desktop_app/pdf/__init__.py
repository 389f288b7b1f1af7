"""The printed report: reportlab only, no Qt.

``render_pdf(report, out, *, mark, footer, fonts, progress) -> pages`` writes the
项目支出绩效自评报告 with its two attachments (项目支出绩效自评表, 绩效自评工作组签字页).
Underneath: :mod:`.fonts` finds the Chinese font of each role (or takes the user's
choice, ``resolve_fonts(choice)``; :class:`FontsUnavailableError` when there are none),
:mod:`.glyphs` lists the characters no font has (``missing_glyphs(report, fonts)``),
:mod:`.styles` holds the page and paragraph styles as data, :mod:`.story` builds the
flowables as a pure function (:mod:`.flowables`: the grid paragraph), :mod:`.render`
writes the file.

Importing this package is cheap: reportlab is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import FontsUnavailableError, PdfError

if TYPE_CHECKING:  # pragma: no cover
    from .fonts import FontSet, resolve_fonts
    from .glyphs import missing_glyphs
    from .render import render_pdf
    from .story import build_story

__all__ = ["FontSet", "FontsUnavailableError", "PdfError", "build_story", "glyph_findings", "missing_glyphs",
           "render_pdf", "resolve_fonts"]


def __getattr__(name: str) -> Any:
    """Load ``render_pdf`` / ``build_story`` (and reportlab) only when first asked for."""
    if name == "render_pdf":
        from .render import render_pdf

        return render_pdf
    if name == "build_story":
        from .story import build_story

        return build_story
    if name in ("FontSet", "resolve_fonts"):
        from . import fonts

        return getattr(fonts, name)
    if name == "glyph_findings":
        from .glyphs import glyph_findings

        return glyph_findings
    if name == "missing_glyphs":
        from .glyphs import missing_glyphs

        return missing_glyphs
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
