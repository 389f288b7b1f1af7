"""The window's 预览, 打印, 定稿并打印, 版本 and 核对校验码, in one place.

:class:`ReportOutput` owns the actions (the window puts them in its menus), the render
thread, the dialogs and a status-bar label with the revision state:

* never finalized — output as before, no mark;
* content equal to the latest revision N — 第N版 已定稿: preview, print and export give
  revision N's stored PDF (the signed copy, byte for byte);
* edited since revision N — 第N+1版草稿: output carries the 草稿 mark.

定稿并打印 is refused while the checks find errors, asks for confirmation, freezes the
revision (data, time, digest) in the workspace, renders it once with the footer
“第N版 校验码 XXXX-XXXX”, stores those bytes with the revision, and prints them.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

from ..domain.checks import Severity, has_errors
from ..domain.revisions import Revision, content_digest
from ..system.files import write_bytes_atomically
from .dialogs.preview import HAVE_PREVIEW, PreviewDialog, print_with_dialog
from .errors import Messages, storage_message
from .printing import PdfRenderer, RenderCancelled, load_pdf, render_bytes

log = logging.getLogger(__name__)

OnPdf = Callable[[bytes], None]


class ReportOutput(QObject):
    """Preview, print and 定稿 of the window's report (see the module docstring)."""

    #: Emitted when the revision state shown in the status bar changed.
    revision_state_changed = Signal()

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.renderer = PdfRenderer(window)
        self.renderer.failed.connect(self._on_renderer_failed)
        self.latest: Revision | None = None
        self.preview_dialog: PreviewDialog | None = None
        self.revisions_dialog: Any = None
        self.verify_dialog: Any = None

        self.preview_action = self._action(self.tr("预览"), self.preview, "Ctrl+F2")
        self.print_action = self._action(self.tr("打印…"), self.print_report, QKeySequence.StandardKey.Print)
        self.finalize_action = self._action(self.tr("定稿并打印…"), self.finalize_and_print)
        self.revisions_action = self._action(self.tr("版本…"), self.show_revisions)
        self.verify_action = self._action(self.tr("核对校验码…"), self.verify_code)
        no_qtpdf = self.tr("需要安装 QtPdf 组件（PySide6-Pdf）才能预览和打印")
        for action in (self.preview_action, self.print_action):
            action.setEnabled(HAVE_PREVIEW)
            action.setToolTip("" if HAVE_PREVIEW else no_qtpdf)
        has_store = window.workspace is not None
        for action in (self.finalize_action, self.revisions_action, self.verify_action):
            action.setEnabled(has_store)

        self.revision_label = QLabel(window)
        self.revision_label.setObjectName("revisionState")
        window.statusBar().addPermanentWidget(self.revision_label)
        window.document.recomputed.connect(self._on_document_recomputed)
        window.document.report_replaced.connect(self._on_document_report_replaced)
        window.installEventFilter(self)
        self.refresh()

    @property
    def actions(self) -> list[QAction]:
        """The 报告 menu's entries, in order."""
        return [self.preview_action, self.print_action, self.finalize_action, self.revisions_action,
                self.verify_action]

    def _action(self, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    @property
    def document(self) -> Any:
        return self.window.document

    @property
    def workspace(self) -> Any:
        return self.window.workspace

    # -- revision state ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the latest revision of the open report and update the status label."""
        self.latest = None
        if self.workspace is not None:
            try:
                revisions = self.workspace.revisions(self.document.report.report_id)
            except Exception:  # noqa: BLE001 - the label is informative only
                log.exception("cannot read the revisions")
                revisions = []
            self.latest = revisions[-1] if revisions else None
        self._update_label()

    def is_finalized(self) -> bool:
        """True when the report's content is exactly its latest revision."""
        return self.latest is not None and self.latest.digest == content_digest(self.document.report)

    def draft_number(self) -> int | None:
        """N+1 when the report was edited since revision N, else None."""
        if self.latest is None or self.is_finalized():
            return None
        return self.latest.number + 1

    def mark(self) -> str:
        """The mark printed on every page of the current state's output.

        A report with errors prints 草稿（未通过校验）; one edited since revision N prints 草稿
        (it is the draft of N+1); a clean never-finalized report prints no mark.
        """
        if has_errors(self.document.findings):
            return self.tr("草稿（未通过校验）")
        return self.tr("草稿") if self.draft_number() is not None else ""

    def footer(self, revision: Revision) -> str:
        """The footer of a revision's pages: 第N版 校验码 XXXX-XXXX."""
        return self.tr("第{n}版 校验码 {code}").format(n=revision.number, code=revision.code)

    def state_text(self) -> str:
        """What the status bar says about the revisions ("" when never finalized)."""
        if self.latest is None:
            return ""
        if self.is_finalized():
            return self.tr("第{n}版 已定稿 · 校验码 {code}").format(n=self.latest.number, code=self.latest.code)
        return self.tr("第{next}版草稿（第{n}版已定稿）").format(next=self.latest.number + 1, n=self.latest.number)

    def _update_label(self) -> None:
        text = self.state_text()
        if text != self.revision_label.text():
            self.revision_label.setText(text)
            self.revision_label.setVisible(bool(text))
            self.revision_state_changed.emit()

    @Slot(object, object)
    def _on_document_recomputed(self, _totals: Any, _findings: Any) -> None:
        self._update_label()

    @Slot()
    def _on_document_report_replaced(self) -> None:
        self.refresh()

    # -- getting the PDF -------------------------------------------------------------------------
    def _busy(self) -> bool:
        if self.renderer.busy:
            self.window.statusBar().showMessage(self.tr("正在生成PDF，请稍候…"), 4000)
            return True
        return False

    def current_pdf(self, then: OnPdf) -> None:
        """The PDF of the report as it is now (a stored revision, or rendered); then ``then``."""
        if self.is_finalized():
            assert self.latest is not None
            self.revision_pdf(self.latest, then)
        else:
            self.renderer.start(self.document.report, lambda data, _pages: then(data), mark=self.mark())

    def revision_pdf(self, revision: Revision, then: OnPdf) -> None:
        """A revision's stored PDF; rendered (and stored) first if it has none yet."""
        report_id = self.document.report.report_id
        try:
            stored = self.workspace.revision_pdf(report_id, revision.number)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            Messages.error(self.window, self.tr("版本"), storage_message(exc))
            return
        if stored is not None:
            then(stored)
            return

        def keep(data: bytes, _pages: int) -> None:
            then(self._store(report_id, revision, data))

        self.renderer.start(revision.report(), keep, footer=self.footer(revision))

    def _store(self, report_id: str, revision: Revision, data: bytes) -> bytes:
        try:
            return bytes(self.workspace.store_revision_pdf(report_id, revision.number, data))
        except Exception:  # noqa: BLE001 - printing goes on; the next reprint renders again
            log.exception("cannot store the PDF of revision %s", revision.number)
            return data

    def current_pdf_now(self) -> bytes:
        """:meth:`current_pdf` without a thread (File › 导出PDF writes this)."""
        if self.is_finalized():
            assert self.latest is not None
            report_id = self.document.report.report_id
            stored = self.workspace.revision_pdf(report_id, self.latest.number)
            if stored is not None:
                return bytes(stored)
            data, _pages = render_bytes(self.latest.report(), footer=self.footer(self.latest))
            return self._store(report_id, self.latest, data)
        data, _pages = render_bytes(self.document.report, mark=self.mark())
        return data

    def write_current_pdf(self, path: Path) -> None:
        """Write :meth:`current_pdf_now` to ``path`` (raises like ``render_pdf``)."""
        write_bytes_atomically(Path(path), self.current_pdf_now())

    @Slot(object)
    def _on_renderer_failed(self, error: BaseException) -> None:
        if isinstance(error, RenderCancelled):
            self.window.statusBar().showMessage(self.tr("已取消生成PDF"), 4000)
            return
        from ..pdf import FontsUnavailableError

        if isinstance(error, FontsUnavailableError):
            text = self.tr("找不到可用的中文字体：{detail}").format(detail=error)
        else:
            log.error("rendering the PDF failed", exc_info=(type(error), error, error.__traceback__))
            text = self.tr("生成PDF失败：{error}").format(error=error)
        Messages.error(self.window, self.tr("生成PDF"), text)

    # -- preview, print, export --------------------------------------------------------------------
    def _title(self, revision: Revision | None = None) -> str:
        if revision is not None:
            return self.tr("预览 — 第{n}版 校验码 {code}").format(n=revision.number, code=revision.code)
        draft = self.draft_number()
        if draft is not None:
            return self.tr("预览 — 第{n}版草稿").format(n=draft)
        return self.tr("预览")

    def _suggested(self, revision: Revision | None = None) -> str:
        suffix = self.tr("（第{n}版）").format(n=revision.number) + ".pdf" if revision is not None else ".pdf"
        return str(self.window._suggested_name(suffix))

    @Slot()
    def preview(self) -> None:
        """预览: render the report as it is now and show its pages."""
        if not HAVE_PREVIEW or self._busy():
            return
        revision = self.latest if self.is_finalized() else None
        self.current_pdf(lambda data: self.show_preview(data, self._title(revision), self._suggested(revision)))

    def show_preview(self, data: bytes, title: str, suggested: str) -> PreviewDialog:
        """Open the preview of ``data`` (replacing an open one)."""
        if self.preview_dialog is not None:
            self.preview_dialog.close()
            self.preview_dialog.deleteLater()
        dialog = PreviewDialog(data, title, suggested, self.window)
        dialog.exported.connect(self._on_exported)
        dialog.printed.connect(self._on_printed)
        self.preview_dialog = dialog
        dialog.show()
        return dialog

    @Slot()
    def print_report(self) -> None:
        """打印…: the system print dialog for the report as it is now."""
        if not HAVE_PREVIEW or self._busy():
            return
        self.current_pdf(self.print_bytes)

    def print_bytes(self, data: bytes) -> int:
        """Ask for a printer and print the pages of ``data``; returns the pages sent."""
        document = load_pdf(data, self)
        try:
            printed = print_with_dialog(self.window, document)
        finally:
            document.close()
            document.deleteLater()
        if printed:
            self._on_printed(printed)
        return printed

    def export_bytes(self, data: bytes, suggested: str) -> str:
        """Write ``data`` unchanged to a file the user picks; returns the path ("" if none)."""
        path = self.window.ask_save_path(self.window, self.tr("导出PDF"), suggested, self.tr("PDF 文件 (*.pdf)"))
        if not path:
            return ""
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            write_bytes_atomically(Path(path), data)
        except OSError as exc:
            Messages.error(self.window, self.tr("导出PDF"),
                           self.tr("无法写入 {path}：{error}").format(path=path, error=exc.strerror or exc))
            return ""
        self._on_exported(path)
        return path

    @Slot(str)
    def _on_exported(self, path: str) -> None:
        self.window.statusBar().showMessage(self.tr("已导出PDF：{path}").format(path=path), 8000)

    @Slot(int)
    def _on_printed(self, pages: int) -> None:
        self.window.statusBar().showMessage(self.tr("已发送到打印机：{pages} 页").format(pages=pages), 8000)

    # -- 定稿 ------------------------------------------------------------------------------------------
    @Slot()
    def finalize_and_print(self) -> None:
        """定稿并打印…: refuse with errors, confirm, freeze revision N, print it."""
        title = self.tr("定稿并打印")
        if self.workspace is None or self._busy():
            return
        findings = self.document.findings
        if has_errors(findings):
            errors = sum(f.severity is Severity.ERROR for f in findings)
            Messages.error(self.window, title, self.tr(
                "报告还有 {count} 个错误，不能定稿。请按“校验结果”逐一改正后再定稿。").format(count=errors))
            self.window.findings_dock.show()
            self.window.findings_dock.raise_()
            return
        if not self.document.flush():
            Messages.error(self.window, title, self.tr("报告尚未保存成功，暂不能定稿。"))
            return
        self.refresh()
        report = self.document.report
        latest = self.latest
        if latest is not None and latest.digest == content_digest(report):
            if Messages.ask(self.window, title, self.tr(
                    "内容与第{n}版（校验码 {code}）相同，无需再次定稿。\n是否重印第{n}版？").format(
                    n=latest.number, code=latest.code)):
                self.revision_pdf(latest, self._output_revision)
            return
        number = 1 if latest is None else latest.number + 1
        if not Messages.ask(self.window, title, self.tr(
                "定稿后，当前内容将冻结为第{n}版，每页页脚印有版本号和校验码，此版本不能再修改；"
                "之后的修改属于第{next}版草稿。\n\n确定定稿并打印吗？").format(n=number, next=number + 1)):
            return
        try:
            revision = self.workspace.finalize(copy.deepcopy(report), datetime.now(timezone.utc))
        except Exception as exc:  # noqa: BLE001 - shown to the user
            log.exception("finalize failed")
            Messages.error(self.window, title, storage_message(exc))
            return
        self.refresh()
        self.window.statusBar().showMessage(self.tr("已定稿为第{n}版，校验码 {code}").format(
            n=revision.number, code=revision.code), 10000)
        self.revision_pdf(revision, self._output_revision)

    def _output_revision(self, data: bytes) -> None:
        if HAVE_PREVIEW:
            self.print_bytes(data)
        else:
            self.export_bytes(data, self._suggested(self.latest))

    # -- 版本 and 核对校验码 ------------------------------------------------------------------------------
    @Slot()
    def show_revisions(self) -> None:
        """版本…: list the revisions; preview, reprint or export one."""
        from .dialogs.revisions import RevisionsDialog

        if self.workspace is None:
            return
        try:
            revisions = self.workspace.revisions(self.document.report.report_id)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            Messages.error(self.window, self.tr("版本"), storage_message(exc))
            return
        if self.revisions_dialog is not None:
            self.revisions_dialog.close()
            self.revisions_dialog.deleteLater()
        dialog = RevisionsDialog(revisions, content_digest(self.document.report), self.window)
        dialog.preview_requested.connect(self._on_revisions_preview_requested)
        dialog.print_requested.connect(self._on_revisions_print_requested)
        dialog.export_requested.connect(self._on_revisions_export_requested)
        dialog.preview_button.setEnabled(dialog.preview_button.isEnabled() and HAVE_PREVIEW)
        dialog.print_button.setEnabled(dialog.print_button.isEnabled() and HAVE_PREVIEW)
        self.revisions_dialog = dialog
        dialog.show()

    @Slot(object)
    def _on_revisions_preview_requested(self, revision: Revision) -> None:
        if not self._busy():
            self.revision_pdf(revision, lambda data: self.show_preview(
                data, self._title(revision), self._suggested(revision)))

    @Slot(object)
    def _on_revisions_print_requested(self, revision: Revision) -> None:
        if not self._busy():
            self.revision_pdf(revision, self.print_bytes)

    @Slot(object)
    def _on_revisions_export_requested(self, revision: Revision) -> None:
        if not self._busy():
            self.revision_pdf(revision, lambda data: self.export_bytes(data, self._suggested(revision)))

    @Slot()
    def verify_code(self) -> None:
        """核对校验码…: which revision a code on paper belongs to."""
        from .dialogs.revisions import VerifyCodeDialog

        if self.workspace is None:
            return
        if self.verify_dialog is None:
            self.verify_dialog = VerifyCodeDialog(
                lambda code: self.workspace.check_code(code, current=self.document.report), self.window)
        if self.verify_dialog.isVisible():
            self.verify_dialog.raise_()
            self.verify_dialog.activateWindow()
        else:
            self.verify_dialog.show()
        self.verify_dialog.code_edit.setFocus()

    # -- lifetime -----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Before the window closes, let a running render end (a thread must not outlive it)."""
        # getattr: Qt may deliver events while the Python side of a closing window is gone.
        if event.type() == QEvent.Type.Close and watched is getattr(self, "window", None):
            self.renderer.wait()
        return False
