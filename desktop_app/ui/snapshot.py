"""Screenshots of the product for the team: every tab grabbed offscreen, every PDF page.

Used by ``python -m desktop_app snapshot``; nothing is written to any workspace (the
document has no store).
"""

from __future__ import annotations

from pathlib import Path

from ..domain.model import Report

TAB_FILES = ("1-overview", "2-team", "3-funds", "4-outputs", "5-scoring")


def _app():  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["snapshot"])


def snapshot_tabs(report: Report, directory: Path, size: tuple[int, int] = (1280, 900)) -> list[Path]:
    """Grab each tab of the window showing ``report``; returns the PNG paths."""
    app = _app()
    from .document import ReportDocument
    from .errors import Messages
    from .main_window import MainWindow

    Messages.quiet = True
    document = ReportDocument(report, store=None)
    window = MainWindow(document)
    window.resize(*size)
    window.show()
    written = []
    for number, name in enumerate(TAB_FILES):
        window.tabs.setCurrentIndex(number)
        app.processEvents()
        path = directory / f"tab-{name}.png"
        window.grab().save(str(path))
        written.append(path)
    window.close()
    window.deleteLater()
    app.processEvents()
    return written


def snapshot_pdf_pages(pdf: Path, directory: Path, dpi: int = 80) -> list[Path]:
    """Rasterise every page of ``pdf`` (QtPdf when installed, else poppler)."""
    try:
        from PySide6.QtCore import QSize
        from PySide6.QtGui import QColor, QImage, QPainter
        from PySide6.QtPdf import QPdfDocument
    except ImportError:
        from ..cli import pdf_to_pngs_with_poppler

        return pdf_to_pngs_with_poppler(pdf, directory, dpi)
    _app()
    document = QPdfDocument()
    document.load(str(pdf))
    written = []
    for page in range(document.pageCount()):
        points = document.pagePointSize(page)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        image = document.render(page, size)
        canvas = QImage(size, QImage.Format.Format_RGB32)
        canvas.fill(QColor("white"))
        painter = QPainter(canvas)
        painter.drawImage(0, 0, image)
        painter.end()
        path = directory / f"page-{page + 1:02d}.png"
        canvas.save(str(path))
        written.append(path)
    document.close()
    return written
