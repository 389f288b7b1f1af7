"""The printed report: reportlab only, no Qt.

``render_pdf(report, out) -> pages`` writes the 项目支出绩效自评报告 with its two
attachments (项目支出绩效自评表, 绩效自评工作组签字页). Underneath: :mod:`.fonts` finds and
registers the Chinese fonts once per process (:class:`FontsUnavailableError` when there
are none), :mod:`.styles` holds the page and paragraph styles as data, :mod:`.story`
builds the flowables as a pure function, :mod:`.render` writes the file.

Importing this package is cheap: reportlab is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import FontsUnavailableError, PdfError

if TYPE_CHECKING:  # pragma: no cover
    from .render import render_pdf
    from .story import build_story

__all__ = ["FontsUnavailableError", "PdfError", "build_story", "render_pdf"]


def __getattr__(name: str) -> Any:
    """Load ``render_pdf`` / ``build_story`` (and reportlab) only when first asked for."""
    if name == "render_pdf":
        from .render import render_pdf

        return render_pdf
    if name == "build_story":
        from .story import build_story

        return build_story
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
