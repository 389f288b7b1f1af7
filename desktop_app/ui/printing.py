"""PDF bytes for preview, print and export, rendered off the GUI thread; printing them.

One PDF, three uses: the preview shows the bytes :class:`PdfRenderer` produced, 导出PDF
writes those same bytes, and :func:`print_pdf` rasterises exactly their pages at the
printer's resolution. A 定稿 revision's stored bytes go through the same three paths, so
a reprint is the signed copy, byte for byte.

QtPdf (``QPdfDocument``) comes from the PySide6-Pdf wheel (PySide6-Addons up to 6.11);
without it :data:`HAVE_QTPDF` is False and preview and print are unavailable, while
export still works.
"""

from __future__ import annotations

import copy
import io
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QObject,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    QThread,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QTransform
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..domain.model import Report

try:
    from PySide6.QtPdf import QPdfDocument
except ImportError:  # pragma: no cover - PySide6-Pdf / PySide6-Addons not installed
    QPdfDocument = None

try:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
except ImportError:  # pragma: no cover - QtPrintSupport is in PySide6-Essentials
    QPrintDialog = QPrinter = None

log = logging.getLogger(__name__)

#: Whether QtPdf is available (preview and print need it).
HAVE_QTPDF = QPdfDocument is not None and QPrinter is not None
#: Raster resolution cap when printing: 300 dpi keeps an A4 page near 35 MB in memory.
MAX_PRINT_DPI = 300

# reportlab registers fonts process-wide: one render at a time, whichever thread asks.
_RENDER_LOCK = threading.Lock()


class RenderCancelled(Exception):
    """The user cancelled a render (raised from the progress callback)."""


#: The fonts chosen in 字体设置 (role → file); empty: found automatically.
_FONT_CHOICE: dict[str, str] = {}


def set_font_choice(choice: dict[str, str]) -> None:
    """Use these fonts for every render from now on (the window calls this)."""
    _FONT_CHOICE.clear()
    _FONT_CHOICE.update(choice)


def font_choice() -> dict[str, str]:
    """The fonts chosen in 字体设置 (role → file)."""
    return dict(_FONT_CHOICE)


def render_bytes(report: Report, *, mark: str = "", footer: str = "",
                 progress: Callable[..., Any] | None = None) -> tuple[bytes, int]:
    """Render ``report`` with the chosen fonts to PDF bytes; returns (bytes, page count).

    ``mark`` (e.g. 草稿) is printed on every page, ``footer`` (第N版 校验码 …) under it.
    """
    from ..pdf import render_pdf, resolve_fonts

    buffer = io.BytesIO()
    with _RENDER_LOCK:
        pages = render_pdf(report, buffer, mark=mark, footer=footer, progress=progress,
                           fonts=resolve_fonts(_FONT_CHOICE or None))
    return buffer.getvalue(), int(pages)


def _progress_numbers(args: tuple[Any, ...]) -> tuple[int, int]:
    """(done, total) from what the renderer reports; total 0 means "unknown".

    The renderer calls ``progress(page)`` after each page; (done, total) and a fraction
    are understood too.
    """
    numbers = [a for a in args if isinstance(a, (int, float)) and not isinstance(a, bool)]
    if len(numbers) >= 2:
        return int(numbers[0]), max(int(numbers[1]), 0)
    if len(numbers) == 1:
        if isinstance(numbers[0], float) and 0 <= numbers[0] <= 1:
            return round(numbers[0] * 100), 100
        return int(numbers[0]), 0
    return 0, 0


class RenderThread(QThread):
    """Renders one report snapshot to bytes; results arrive as queued signals."""

    progressed = Signal(int, int)
    rendered = Signal(object, int)
    failed = Signal(object)

    def __init__(self, report: Report, *, mark: str, footer: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._report = report
        self._mark = mark
        self._footer = footer
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        """Stop at the next progress report (the renderer raises out of its loop)."""
        self._cancelled.set()

    def _on_progress(self, *args: Any) -> None:
        if self._cancelled.is_set():
            raise RenderCancelled
        self.progressed.emit(*_progress_numbers(args))

    def run(self) -> None:  # noqa: D102 - QThread's entry point
        try:
            data, pages = render_bytes(self._report, mark=self._mark, footer=self._footer,
                                       progress=self._on_progress)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            self.failed.emit(exc)
            return
        if self._cancelled.is_set():
            self.failed.emit(RenderCancelled())
            return
        self.rendered.emit(data, pages)


class PdfRenderer(QObject):
    """Runs one render at a time off the GUI thread, with a progress dialog when slow.

    ``finished`` is emitted once per :meth:`start` after the continuation ran (or the
    error was shown), when the thread is done: tests wait on it.
    """

    finished = Signal()
    #: Emitted with the exception when a render failed or was cancelled.
    failed = Signal(object)

    #: Show the progress dialog only for renders longer than this.
    PROGRESS_DELAY_MS = 400

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._widget = parent
        self._thread: RenderThread | None = None
        self._dialog: QProgressDialog | None = None
        self._result: tuple[bytes, int] | None = None
        self._error: BaseException | None = None
        self._on_done: Callable[[bytes, int], None] | None = None

    @property
    def busy(self) -> bool:
        """True while a render runs."""
        return self._thread is not None

    def start(self, report: Report, on_done: Callable[[bytes, int], None], *, mark: str = "",
              footer: str = "") -> bool:
        """Render a snapshot of ``report``; call ``on_done(pdf, pages)`` in the GUI thread.

        Returns False (and does nothing) while another render runs.
        """
        if self._thread is not None:
            return False
        self._result, self._error, self._on_done = None, None, on_done
        thread = RenderThread(copy.deepcopy(report), mark=mark, footer=footer, parent=self)
        thread.progressed.connect(self._on_thread_progressed)
        thread.rendered.connect(self._on_thread_rendered)
        thread.failed.connect(self._on_thread_failed)
        thread.finished.connect(self._on_thread_finished)
        dialog = QProgressDialog(self.tr("正在生成PDF…"), self.tr("取消"), 0, 0, self._widget)
        dialog.setWindowTitle(self.tr("生成PDF"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(self.PROGRESS_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)  # starts the minimum-duration timer (the constructor does not)
        self._thread, self._dialog = thread, dialog
        thread.start()
        return True

    def cancel(self) -> None:
        """Stop the running render at its next page (what the dialog's 取消 does)."""
        if self._thread is not None:
            self._thread.cancel()

    def wait(self) -> None:
        """Block until a running render ends (window closing); its result is dropped."""
        if self._thread is not None:
            self._thread.cancel()
            self._thread.wait()

    def _on_thread_progressed(self, done: int, total: int) -> None:
        if self._dialog is None:
            return
        if total > 0:
            self._dialog.setMaximum(total)
            self._dialog.setValue(min(done, total))
        else:
            self._dialog.setLabelText(self.tr("正在生成PDF…已完成 {pages} 页").format(pages=done))

    def _on_thread_rendered(self, data: bytes, pages: int) -> None:
        self._result = (bytes(data), pages)

    def _on_thread_failed(self, error: BaseException) -> None:
        self._error = error

    def _on_thread_finished(self) -> None:
        thread, dialog, on_done = self._thread, self._dialog, self._on_done
        self._thread = self._dialog = self._on_done = None
        if dialog is not None:
            dialog.canceled.disconnect()
            dialog.reset()
            dialog.hide()
            dialog.deleteLater()
        if thread is not None:
            thread.deleteLater()
        try:
            if self._result is not None and on_done is not None:
                on_done(*self._result)
            elif self._error is not None:
                self.failed.emit(self._error)
        finally:
            self.finished.emit()


# -- printing -------------------------------------------------------------------------------


def load_pdf(data: bytes, parent: QObject | None = None) -> Any:
    """A ``QPdfDocument`` over ``data`` (loaded synchronously from an in-memory buffer)."""
    if QPdfDocument is None:
        raise RuntimeError("QtPdf is not installed")
    document = QPdfDocument(parent)
    buffer = QBuffer(document)  # lives as long as the document
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def new_printer(document: Any) -> Any:
    """A printer set up for ``document``: its first page's paper, no margins, two-sided.

    GB/T 9704 puts odd page numbers right and even ones left: the layout assumes duplex.
    """
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    points = document.pagePointSize(0) if document.pageCount() else QSizeF(595.28, 841.89)
    portrait = QSizeF(min(points.width(), points.height()), max(points.width(), points.height()))
    size = QPageSize(portrait.toSize())  # fuzzy match: 595×842 pt is A4
    printer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, printer.pageLayout().margins()))
    printer.setFullPage(True)
    printer.setDuplex(QPrinter.DuplexMode.DuplexLongSide)
    printer.setDocName(document.metaData(QPdfDocument.MetaDataField.Title) or "report")
    return printer


def page_sequence(printer: Any, page_count: int) -> list[int]:
    """0-based pages to send, honouring page range, order and copies the driver won't do."""
    first, last = 0, page_count - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(printer.fromPage() - 1, 0)
        last = min(max(printer.toPage(), printer.fromPage()) - 1, page_count - 1)
    pages = list(range(first, last + 1))
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    if printer.collateCopies():
        return pages * copies
    return [page for page in pages for _ in range(copies)]


def print_pdf(document: Any, printer: Any, *, max_dpi: int = MAX_PRINT_DPI,
              progress: Callable[[int, int], bool] | None = None) -> int:
    """Print the pages of a ``QPdfDocument`` on ``printer``, each page as the PDF draws it.

    Each page is rendered by QtPdf at the printer's resolution (capped at ``max_dpi``),
    rotated when its orientation differs from the paper's, and centred, scaled to fit
    (1:1 when the paper is the page's size). ``progress(done, total)`` may return False
    to cancel the job.

    Returns:
        The number of pages sent to the printer (0 when cancelled).

    Raises:
        RuntimeError: the printer could not be started.
    """
    sequence = page_sequence(printer, document.pageCount())
    if not sequence:
        return 0
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("the printer could not be started")
    printed = 0
    try:
        for number, page in enumerate(sequence):
            if number:
                printer.newPage()
            _paint_page(painter, printer, document, page, max_dpi)
            printed += 1
            if progress is not None and progress(printed, len(sequence)) is False:
                printer.abort()  # a real printer drops the job instead of printing part of it
                printed = 0
                break
    finally:
        painter.end()
    return printed


def _paint_page(painter: QPainter, printer: Any, document: Any, page: int, max_dpi: int) -> None:
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    points = document.pagePointSize(page)
    rotate = (points.width() > points.height()) != (paper.width() > paper.height())
    dpi = min(printer.resolution(), max_dpi)
    pixels = QSize(max(round(points.width() * dpi / 72), 1), max(round(points.height() * dpi / 72), 1))
    image = document.render(page, pixels)
    sheet = QImage(pixels, QImage.Format.Format_RGB32)
    sheet.fill(QColor("white"))
    with_page = QPainter(sheet)
    with_page.drawImage(0, 0, image)
    with_page.end()
    if printer.colorMode() == QPrinter.ColorMode.GrayScale:
        sheet = sheet.convertToFormat(QImage.Format.Format_Grayscale8)
    if rotate:
        sheet = sheet.transformed(QTransform().rotate(90))
    page_w = (points.height() if rotate else points.width()) * printer.resolution() / 72
    page_h = (points.width() if rotate else points.height()) * printer.resolution() / 72
    scale = min(paper.width() / page_w, paper.height() / page_h, 1.0)
    width, height = page_w * scale, page_h * scale
    target = QRectF((paper.width() - width) / 2, (paper.height() - height) / 2, width, height)
    painter.drawImage(target, sheet)


class PrintDialogs:
    """The system print dialog, behind a classmethod tests patch."""

    @classmethod
    def ask_printer(cls, parent: QWidget | None, printer: Any, page_count: int) -> bool:
        """Let the user choose printer, copies, duplex and pages; True to print."""
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(QCoreApplication.translate("Printing", "打印"))
        dialog.setMinMax(1, max(page_count, 1))
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintCollateCopies, True)
        return dialog.exec() == QPrintDialog.DialogCode.Accepted
