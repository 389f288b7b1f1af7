"""预览: the exact PDF that will be printed or exported, page by page, with zoom.

The dialog holds the PDF *bytes*; 打印… rasterises those pages and 导出PDF… writes those
bytes, so what the clerk sees is what the printer and the file get. QtPdf widgets come
from PySide6-Pdf (PySide6-Addons up to 6.11): :data:`HAVE_PREVIEW` says whether they are
installed; the window disables 预览 when not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...system.files import write_bytes_atomically
from .. import printing
from ..errors import Messages
from ..widgets.wheel_guard import guard_wheel

try:
    from PySide6.QtPdfWidgets import QPdfView
except ImportError:  # pragma: no cover - PySide6-Pdf / PySide6-Addons not installed
    QPdfView = None

#: Whether the preview can be shown on this installation.
HAVE_PREVIEW = QPdfView is not None and printing.HAVE_QTPDF

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 4.0


class PreviewDialog(QDialog):
    """Pages of one PDF with navigation, zoom, 打印… and 导出PDF…."""

    #: Emitted after the PDF was written to a file (its path).
    exported = Signal(str)
    #: Emitted after pages were sent to a printer (their number).
    printed = Signal(int)

    def __init__(self, pdf: bytes, title: str, suggested_path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = pdf
        self.suggested_path = suggested_path
        self.setWindowTitle(title)
        self.resize(900, 1000)
        self.document = printing.load_pdf(pdf, self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        self.previous_button = QToolButton(self)
        self.previous_button.setText(self.tr("上一页"))
        self.previous_button.setShortcut(QKeySequence(Qt.Key.Key_PageUp))
        self.page_spin = QSpinBox(self)
        guard_wheel(self.page_spin, allow=True)  # turning pages, not data
        self.page_spin.setRange(1, max(self.page_count, 1))
        self.page_spin.setPrefix(self.tr("第 "))
        self.page_spin.setSuffix(self.tr(" 页"))
        self.count_label = QLabel(self.tr("共 {count} 页").format(count=self.page_count), self)
        self.next_button = QToolButton(self)
        self.next_button.setText(self.tr("下一页"))
        self.next_button.setShortcut(QKeySequence(Qt.Key.Key_PageDown))
        self.zoom_out_button = QToolButton(self)
        self.zoom_out_button.setText(self.tr("缩小"))
        self.zoom_out_button.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut))
        self.zoom_in_button = QToolButton(self)
        self.zoom_in_button.setText(self.tr("放大"))
        self.zoom_in_button.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomIn))
        self.fit_width_button = QToolButton(self)
        self.fit_width_button.setText(self.tr("适合宽度"))
        self.zoom_label = QLabel(self)
        self.print_button = QPushButton(self.tr("打印…"), self)
        self.print_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.export_button = QPushButton(self.tr("导出PDF…"), self)
        self.close_button = QPushButton(self.tr("关闭"), self)

        bar = QHBoxLayout()
        for widget in (self.previous_button, self.page_spin, self.count_label, self.next_button):
            bar.addWidget(widget)
        bar.addSpacing(16)
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_width_button, self.zoom_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.print_button, self.export_button, self.close_button):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self.previous_button.clicked.connect(self._on_previous_clicked)
        self.next_button.clicked.connect(self._on_next_clicked)
        self.page_spin.valueChanged.connect(self._on_page_spin_value_changed)
        self.zoom_in_button.clicked.connect(self._on_zoom_in_clicked)
        self.zoom_out_button.clicked.connect(self._on_zoom_out_clicked)
        self.fit_width_button.clicked.connect(self._on_fit_width_clicked)
        self.print_button.clicked.connect(self.print_pages)
        self.export_button.clicked.connect(self.export_pdf)
        self.close_button.clicked.connect(self.close)
        self.view.pageNavigator().currentPageChanged.connect(self._on_navigator_current_page_changed)
        self.view.zoomFactorChanged.connect(self._update_zoom_label)
        self.view.zoomModeChanged.connect(self._update_zoom_label)
        self._update_buttons()
        self._update_zoom_label()

    @property
    def page_count(self) -> int:
        """Pages of the previewed PDF."""
        return int(self.document.pageCount())

    @property
    def current_page(self) -> int:
        """The page shown, 0-based."""
        return int(self.view.pageNavigator().currentPage())

    # -- navigation and zoom -------------------------------------------------------------------
    def go_to_page(self, page: int) -> None:
        """Show ``page`` (0-based, clamped)."""
        page = max(0, min(page, self.page_count - 1))
        self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())

    @Slot()
    def _on_previous_clicked(self) -> None:
        self.go_to_page(self.current_page - 1)

    @Slot()
    def _on_next_clicked(self) -> None:
        self.go_to_page(self.current_page + 1)

    @Slot(int)
    def _on_page_spin_value_changed(self, value: int) -> None:
        if value - 1 != self.current_page:
            self.go_to_page(value - 1)

    @Slot(int)
    def _on_navigator_current_page_changed(self, page: int) -> None:
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.previous_button.setEnabled(self.current_page > 0)
        self.next_button.setEnabled(self.current_page < self.page_count - 1)

    def zoom_by(self, factor: float) -> None:
        """Zoom relative to the current zoom (leaves 适合宽度)."""
        current = self.view.zoomFactor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, current * factor)))

    @Slot()
    def _on_zoom_in_clicked(self) -> None:
        self.zoom_by(ZOOM_STEP)

    @Slot()
    def _on_zoom_out_clicked(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    @Slot()
    def _on_fit_width_clicked(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _update_zoom_label(self, *_: Any) -> None:
        if self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth:
            self.zoom_label.setText(self.tr("适合宽度"))
        else:
            self.zoom_label.setText(f"{self.view.zoomFactor() * 100:.0f}%")

    # -- output ----------------------------------------------------------------------------------
    @classmethod
    def ask_save_path(cls, parent: QWidget, title: str, suggested: str, filter_text: str) -> str:
        """Ask where to write the PDF (tests patch this)."""
        return QFileDialog.getSaveFileName(parent, title, suggested, filter_text)[0]

    @Slot()
    def export_pdf(self) -> None:
        """导出PDF…: write the previewed bytes, unchanged, to a file the user picks."""
        path = self.ask_save_path(self, self.tr("导出PDF"), self.suggested_path, self.tr("PDF 文件 (*.pdf)"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            write_bytes_atomically(Path(path), self.pdf)
        except OSError as exc:
            Messages.error(self, self.tr("导出PDF"),
                           self.tr("无法写入 {path}：{error}").format(path=path, error=exc.strerror or exc))
            return
        self.exported.emit(path)

    @Slot()
    def print_pages(self) -> None:
        """打印…: the system print dialog, then exactly these pages."""
        printed = print_with_dialog(self, self.document)
        if printed:
            self.printed.emit(printed)


def print_with_dialog(parent: QWidget, document: Any) -> int:
    """Ask for printer, copies, duplex and pages, then print ``document``'s pages.

    Rasterising takes a fraction of a second per page: a progress dialog (window-modal,
    with 取消) keeps the window painted and lets the user stop a long job.

    Returns:
        The number of pages sent (0 when cancelled or failed; failures are shown).
    """
    printer = printing.new_printer(document)
    if not printing.PrintDialogs.ask_printer(parent, printer, document.pageCount()):
        return 0
    progress = QProgressDialog(QCoreApplication.translate("Printing", "正在发送到打印机…"),
                               QCoreApplication.translate("Printing", "取消"), 0, 0, parent)
    progress.setWindowTitle(QCoreApplication.translate("Printing", "打印"))
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(400)
    progress.setAutoClose(False)
    progress.setAutoReset(False)

    def step(done: int, total: int) -> bool:
        progress.setMaximum(total)
        progress.setValue(done)  # a modal progress dialog processes events here
        return not progress.wasCanceled()

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return printing.print_pdf(document, printer, progress=step)
    except RuntimeError:
        Messages.error(parent, QCoreApplication.translate("Printing", "打印"),
                       QCoreApplication.translate("Printing", "无法启动打印机，请检查打印机是否连接并已开机。"))
        return 0
    finally:
        QApplication.restoreOverrideCursor()
        progress.reset()
        progress.hide()
        progress.deleteLater()
